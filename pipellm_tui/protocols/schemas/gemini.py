"""pydantic models of the Gemini generateContent bodies: `Request`, `Response`, `StreamChunk`, `ErrorBody`.

Used to validate (the request editor, the sandbox's 400s, tests), never on the conversion hot path:
the adapter in `adapters/gemini/` reads plain dicts. Every model keeps unknown fields
(`extra="allow"`) because the API grows faster than this file, and is strict about types so that a
body of another format fails with the JSON path of the first field that does not fit.

Like the REST API, fields are accepted in camelCase (`inlineData`, the canonical spelling and the one
error paths use) or snake_case (`inline_data`), and a single object stands for a list of one where
the API allows it (`"contents": {...}`, `"parts": {...}`). Finish and block reasons stay plain strings:
Google adds values often. The model is not in the body (it is in the URL path).
Imports pydantic and the standard library only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

from .shapes import WireModel

T = TypeVar("T")


class _Wire(WireModel):
    """camelCase (the canonical spelling, which error paths use) or snake_case, like the REST API."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


#: A list where the REST API also takes a single object.
OneOrMany = Annotated[list[T], BeforeValidator(_one_or_many)]


# ---------------------------------------------------------------------------- parts


class Blob(_Wire):
    mime_type: str
    data: str
    display_name: str | None = None


class FileData(_Wire):
    file_uri: str
    mime_type: str | None = None


class FunctionCall(_Wire):
    name: str
    args: dict[str, Any] | None = None
    id: str | None = None


class FunctionResponsePart(_Wire):
    inline_data: Blob | None = None
    file_data: FileData | None = None


class FunctionResponse(_Wire):
    name: str
    #: Google documents {"output": ...} for results and {"error": ...} for failures.
    response: dict[str, Any]
    id: str | None = None
    parts: list[FunctionResponsePart] | None = None


class Part(_Wire):
    text: str | None = None
    thought: bool | None = None
    thought_signature: str | None = None
    inline_data: Blob | None = None
    file_data: FileData | None = None
    function_call: FunctionCall | None = None
    function_response: FunctionResponse | None = None
    executable_code: dict[str, Any] | None = None
    code_execution_result: dict[str, Any] | None = None
    video_metadata: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Part:
        if not self.model_fields_set and not self.model_extra:
            raise ValueError("a part needs text, inlineData, fileData, functionCall or functionResponse")
        return self


class Content(_Wire):
    #: Missing means "user"; "function" is the legacy role of functionResponse turns.
    role: Literal["user", "model", "function"] | None = None
    parts: OneOrMany[Part]


class CandidateContent(_Wire):
    """A candidate's content: Gemini leaves `parts` out when it stopped before saying anything."""

    role: str | None = None
    parts: OneOrMany[Part] | None = None


# ---------------------------------------------------------------------------- tools


class FunctionDeclaration(_Wire):
    name: str
    description: str | None = None
    #: The OpenAPI subset (`"type": "OBJECT"`, `nullable`).
    parameters: dict[str, Any] | None = None
    #: Plain JSON Schema (what this project emits).
    parameters_json_schema: Any = None
    response: dict[str, Any] | None = None
    response_json_schema: Any = None
    behavior: str | None = None


class Tool(_Wire):
    """One kind per Tool: function declarations, or a built-in such as googleSearch / codeExecution."""

    function_declarations: list[FunctionDeclaration] | None = None
    google_search: dict[str, Any] | None = None
    google_search_retrieval: dict[str, Any] | None = None
    code_execution: dict[str, Any] | None = None
    url_context: dict[str, Any] | None = None


class FunctionCallingConfig(_Wire):
    mode: Literal["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"] | None = None
    allowed_function_names: list[str] | None = None


class ToolConfig(_Wire):
    function_calling_config: FunctionCallingConfig | None = None


# ---------------------------------------------------------------------------- settings


class ThinkingConfig(_Wire):
    #: 0 turns thinking off (where the model allows), -1 lets the model decide.
    thinking_budget: int | None = None
    include_thoughts: bool | None = None
    #: Gemini 3: MINIMAL | LOW | MEDIUM | HIGH; exclusive with thinkingBudget.
    thinking_level: str | None = None


class GenerationConfig(_Wire):
    max_output_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    #: An integer on the wire; the SDKs type it as a number.
    top_k: float | None = None
    candidate_count: int | None = None
    stop_sequences: list[str] | None = None
    seed: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    response_logprobs: bool | None = None
    logprobs: int | None = None
    response_mime_type: str | None = None
    response_schema: dict[str, Any] | None = None
    response_json_schema: Any = None
    response_modalities: list[str] | None = None
    thinking_config: ThinkingConfig | None = None


class SafetySetting(_Wire):
    category: str
    threshold: str


class Request(_Wire):
    """POST /v1beta/models/{model}:generateContent (and :streamGenerateContent?alt=sse)."""

    contents: OneOrMany[Content]
    system_instruction: Content | None = None
    tools: list[Tool] | None = None
    tool_config: ToolConfig | None = None
    generation_config: GenerationConfig | None = None
    safety_settings: list[SafetySetting] | None = None
    cached_content: str | None = None


# ---------------------------------------------------------------------------- response


class UsageMetadata(_Wire):
    #: Includes cachedContentTokenCount.
    prompt_token_count: int | None = None
    #: Excludes thoughtsTokenCount.
    candidates_token_count: int | None = None
    thoughts_token_count: int | None = None
    cached_content_token_count: int | None = None
    tool_use_prompt_token_count: int | None = None
    total_token_count: int | None = None
    prompt_tokens_details: list[dict[str, Any]] | None = None
    candidates_tokens_details: list[dict[str, Any]] | None = None


class Candidate(_Wire):
    content: CandidateContent | None = None
    #: STOP, MAX_TOKENS, SAFETY, RECITATION, ... (no tool-call reason: a function call ends with STOP).
    finish_reason: str | None = None
    index: int | None = None
    finish_message: str | None = None
    safety_ratings: list[dict[str, Any]] | None = None
    citation_metadata: dict[str, Any] | None = None
    avg_logprobs: float | None = None


class PromptFeedback(_Wire):
    block_reason: str | None = None
    safety_ratings: list[dict[str, Any]] | None = None


class Response(_Wire):
    """A GenerateContentResponse: candidates, or only promptFeedback when the prompt was blocked."""

    candidates: list[Candidate] | None = None
    prompt_feedback: PromptFeedback | None = None
    usage_metadata: UsageMetadata | None = None
    model_version: str | None = None
    response_id: str | None = None
    create_time: str | None = None

    @model_validator(mode="after")
    def _is_an_answer(self) -> Response:
        if self.candidates is None and self.prompt_feedback is None and self.usage_metadata is None:
            raise ValueError("a Gemini response has candidates, promptFeedback or usageMetadata")
        return self


class StreamChunk(Response):
    """One `data:` of `alt=sse`: a whole GenerateContentResponse holding only the new parts."""


class ErrorDetail(_Wire):
    code: int
    message: str
    status: str | None = None
    details: list[dict[str, Any]] | None = None


class ErrorBody(_Wire):
    """Google's error envelope, as an HTTP body or as a chunk in the middle of a stream."""

    error: ErrorDetail
