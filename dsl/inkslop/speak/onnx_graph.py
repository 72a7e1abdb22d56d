"""Two small edits of the ONNX model, done on its protobuf bytes with the stdlib alone.

Why: the int8 export's only output is the audio, but its duration predictor computes, for
every input phoneme, how many 25 ms frames (600 samples at 24 kHz) it lasts; the audio is
exactly sum(frames) x 600 samples. That tensor is `/encoder/Cast_output_0` (int64,
[1, tokens]: round(sum(sigmoid(...)) / speed) clipped to >= 1, the `pred_dur` of kokoro's
KModel). Exposing it gives per-phoneme, hence per-word, timings; and the sub-graph that
computes it alone (the text encoder and predictor, a third of the nodes) runs about forty
times faster than the whole model, which makes exact durations nearly free.

Depending on the `onnx` package for this would add a large dependency for two edits, so
this module reads the protobuf wire format directly:

- `add_output`: protobuf merges a repeated sub-message written twice, so appending
  `graph { output { name } }` to the serialized ModelProto adds an output;
- `prune_to`: keeps only the nodes (and initializers) the named tensor depends on, and
  makes it the only output.
"""

from __future__ import annotations

DURATIONS_TENSOR = "/encoder/Cast_output_0"

# field numbers (onnx.proto3)
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_INITIALIZER, _GRAPH_OUTPUT, _GRAPH_VALUE_INFO = 1, 5, 12, 13
_GRAPH_SPARSE_INITIALIZER = 15
_NODE_INPUT, _NODE_OUTPUT = 1, 2
_TENSOR_NAME = 8
_VALUE_INFO_NAME = 1
_SPARSE_VALUES = 1


class GraphEditError(ValueError):
    """The bytes are not an ONNX model of the expected shape."""


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _read_varint(buf, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf):
            raise GraphEditError("truncated varint")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf):
    """Yield (field number, wire type, start of field, start of value, end) for a message."""
    i, n = 0, len(buf)
    while i < n:
        start = i
        tag, i = _read_varint(buf, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            _, end = _read_varint(buf, i)
            yield number, wire, start, i, end
        elif wire == 1:
            yield number, wire, start, i, i + 8
            end = i + 8
        elif wire == 2:
            length, j = _read_varint(buf, i)
            end = j + length
            if end > n:
                raise GraphEditError("truncated field")
            yield number, wire, start, j, end
        elif wire == 5:
            end = i + 4
            yield number, wire, start, i, end
        else:
            raise GraphEditError(f"unsupported wire type {wire}")
        i = end


def _field(number: int, payload: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(payload)) + payload


def _strings(buf, number: int) -> list[str]:
    return [bytes(buf[v:e]).decode("utf-8") for f, w, _, v, e in _fields(buf) if f == number and w == 2]


def _name(buf, number: int) -> str | None:
    names = _strings(buf, number)
    return names[0] if names else None


def _output(name: str) -> bytes:
    return _field(_GRAPH_OUTPUT, _field(_VALUE_INFO_NAME, name.encode("utf-8")))


def add_output(model: bytes, name: str = DURATIONS_TENSOR) -> bytes:
    """The model with `name` as an extra graph output."""
    return bytes(model) + _field(_MODEL_GRAPH, _output(name))


def prune_to(model: bytes, name: str = DURATIONS_TENSOR) -> bytes:
    """The model reduced to what computes `name`, which becomes its only output."""
    view = memoryview(model)
    top = list(_fields(view))
    graphs = [(v, e) for f, w, _, v, e in top if f == _MODEL_GRAPH and w == 2]
    if len(graphs) != 1:
        raise GraphEditError("expected exactly one graph in the model")
    gv, ge = graphs[0]
    graph = view[gv:ge]
    entries = list(_fields(graph))
    producers: dict[str, int] = {}
    node_inputs: dict[int, list[str]] = {}
    for k, (f, w, _, v, e) in enumerate(entries):
        if f == _GRAPH_NODE and w == 2:
            node = graph[v:e]
            for out in _strings(node, _NODE_OUTPUT):
                producers[out] = k
            node_inputs[k] = _strings(node, _NODE_INPUT)
    if name not in producers:
        raise GraphEditError(f"no node produces {name!r}")
    needed, keep, stack = set(), set(), [name]
    while stack:
        tensor = stack.pop()
        if tensor in needed:
            continue
        needed.add(tensor)
        k = producers.get(tensor)
        if k is not None and k not in keep:
            keep.add(k)
            stack.extend(t for t in node_inputs[k] if t)
    def kept(k: int, number: int, body) -> bool:
        if number == _GRAPH_NODE:
            return k in keep
        if number == _GRAPH_INITIALIZER:
            return _name(body, _TENSOR_NAME) in needed
        if number == _GRAPH_SPARSE_INITIALIZER:
            values = [body[vv:ee] for ff, _, _, vv, ee in _fields(body) if ff == _SPARSE_VALUES]
            return not values or _name(values[0], _TENSOR_NAME) in needed
        if number == _GRAPH_VALUE_INFO:
            return _name(body, _VALUE_INFO_NAME) in needed
        return number != _GRAPH_OUTPUT

    parts = [graph[s:e] for k, (f, _, s, v, e) in enumerate(entries) if kept(k, f, graph[v:e])]
    parts.append(_output(name))
    new_graph = b"".join(bytes(p) for p in parts)
    out = []
    for f, w, s, v, e in top:
        out.append(_field(_MODEL_GRAPH, new_graph) if f == _MODEL_GRAPH else bytes(view[s:e]))
    return b"".join(out)
