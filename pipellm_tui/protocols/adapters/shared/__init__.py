"""What every format's adapter shares, one concern per module:

- `json_shapes`: wrong JSON -> `ProtocolError` with a JSON path: `need_*`, `opt_*`, `count`, `read_scalars`;
- `losses`: `warn_once`: each loss said once per conversion;
- `compact_json`: compact `dumps` / `quote` / `loads` for the hot paths;
- `tools`: function definitions, tool-call arguments as JSON strings (`_raw` kept verbatim);
- `ids`: deterministic ids (`synthetic_id`, `answer_id`);
- `usage`: streamed usage reports added up (`merge_usage`);
- `images`: images as (data) URLs, media type of inline data;
- `extras`: one-format-only fields: named as dropped, or put back under dotted names;
- `citations`: web citations (Anthropic locations, OpenAI `url_citation`, Gemini grounding) <-> the IR;
- `documents`: documents (PDF) as each format writes them, read into the IR's media part;
- `fitting`: tool names and tool-call ids a target refuses, made to fit deterministically;
- `foreign_extras`: one format's extras given a home in a target that has the same setting;
- `stream_guard`: stream decoders/encoders never raise: events not understood counted in one warning;

Format-specific readings stay with their format (`<format>/wire.py`). Plain functions over plain
dicts: this is the conversion hot path, so no pydantic. Imports only the standard library and
`protocols/`; no I/O.
"""
