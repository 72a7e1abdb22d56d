"""What InkSlop accepts, as data: the tag schema (tags, attributes, engines, voices, each with
its mark: confirmed, assumed or toolkit), the request fields that front matter sets, and the
near-miss matching of names against what is known."""
