"""Stage 1, text to Document: the Lark grammar's tables, the error-tolerant parser, the typed
AST with spans, attribute values and the variable pattern, and the Diagnostic value that every
later stage reports with."""
