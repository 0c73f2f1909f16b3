"""CloudWatch Logs TestMetricFilter for moto 5.2.5, which does not implement it.

``TestMetricFilter(filterPattern, logEventMessages)`` lists the messages the pattern
matches, each with its 1-based ``eventNumber`` and ``extractedValues``, changing
nothing: labcheck asks it to learn what a metric filter's pattern really matches (the
lab's sample log lines), instead of reading its text. moto's own matcher (used by
FilterLogEvents) knows only plain terms and lets every other pattern match everything,
so the grammar here is written from the CloudWatch Logs user guide page "Filter
pattern syntax for metric filters, subscription filters, filter log events, and Live
Tail":

* term patterns: ``ERROR ARGUMENTS`` (every term occurs), ``?ERROR ?WARN`` (one of
  them; ``?`` terms are ignored beside plain or ``-`` terms, as documented),
  ``ERROR -ARGUMENTS`` (exclusion), ``"exact phrase"``; matching is case-sensitive and
  by substring; unquoted terms may only hold letters, digits and ``_``; an empty
  pattern, or ``" "``, matches everything;
* regex patterns ``%...%`` (searched anywhere in the message), limited to the
  documented characters (no ``(`` or ``)``); also usable as a value in JSON and
  space-delimited conditions, at most two per pattern;
* JSON patterns ``{ $.a.b[0] = value }``: ``=``/``!=`` on strings (quoted or not,
  ``*`` wildcard at the start and/or end; one in the middle is a literal ``*``) or on
  regexes, ``= != < > <= >=`` on numbers, ``IS NULL``/``IS TRUE``/``IS FALSE``,
  ``NOT EXISTS``, ``$.*`` and ``[*]`` wildcard selectors, ``$.['a.b']`` keys,
  ``&&``/``||`` with parentheses (``&&`` binds tighter). A selector that is missing, or
  points to an object, array, boolean or null, fails ``=`` and ``!=`` alike; a message
  that is not JSON matches no JSON pattern. ``extractedValues`` maps each selector of a
  comparison that held to the value it read;
* space-delimited patterns ``[ip, user, ..., status_code = 4*, bytes > 1000]``: the
  message splits on whitespace, ``"..."`` and ``[...]`` being one field each (without
  their quotes or brackets); ``...`` stands for any number of fields; without an
  ellipsis the last field takes the rest of the line, so ``[w1=ERROR, w2]`` matches a
  longer line; conditions may refer to any field of the pattern and combine with
  ``&&``/``||``. ``extractedValues`` has every field of the message: ``$name`` for a
  named field, ``$N`` (its 1-based position) for the others.

Numbers compare as numbers (``{ $.latency > 50 }`` holds for 100); ``!=`` a number holds
for any text that is not that number. An invalid pattern, or a request outside the API
reference's limits, is an ``InvalidParameterException``. Call ``install()`` before the
server starts.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.logs.exceptions import InvalidParameterException
from moto.logs.responses import LogsResponse

MAX_PATTERN_LENGTH = 1024  # filterPattern
MESSAGES_RANGE = (1, 50)  # logEventMessages
MAX_REGEXES = 2  # in one JSON or space-delimited pattern
MAX_JSON_WILDCARDS = 3  # in one JSON pattern (one per selector)

NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# The documented regex characters: letters, digits, : _ # = @ / ; , - and the
# operators ^ $ ? [ ] { } | \ * + . (spaces appear in the page's own examples).
REGEX_CHARACTERS = re.compile(r"[A-Za-z0-9:_#=@/;,\- ^$?\[\]{}|\\*+.]*")
NAME = re.compile(r"\w+", re.ASCII)  # an unquoted term or a field name: letters, digits, _
RELATIONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}
# Tokens of JSON and space-delimited conditions.
CONDITION_TOKEN = re.compile(
    r"""\s*(?:
        (?P<paren>[()])
      | (?P<logic>&&|\|\|)
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<quoted>"(?:[^"\\]|\\.)*")
      | (?P<regex>%[^%]*%)
      | (?P<word>[^\s()&|=!<>"%]+)
    )""",
    re.VERBOSE,
)
# A prefix (? or -, attached or standing alone) and a quoted or bare term.
TERM_TOKEN = re.compile(r'\s*([?-]?)\s*(?:("(?:[^"\\]|\\.)*")|([^\s"]+))')
# A field of a space-delimited message: "quoted", [bracketed] or bare.
MESSAGE_FIELD = re.compile(r'"([^"]*)"|\[([^\]]*)\]|(\S+)')
# A step of a JSON selector after the $: .name, .*, [0], [*], ['key'] or .['key'].
SELECTOR_STEP = re.compile(r"\.([A-Za-z0-9_-]+)|\.?\[\s*'([^']*)'\s*\]|\[(\d+)\]|\.\*|\[\*\]")


def _invalid(reason: str) -> InvalidParameterException:
    return InvalidParameterException(f"Invalid metric filter pattern: {reason}")


def _found(text: str) -> str:
    return f"found {text!r}" if text else "found the end of the pattern"


def _unescape(quoted: str) -> str:
    r"""The text between double quotes, with \" and \\ resolved."""
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def _number(text: str) -> float | None:
    return float(text) if NUMBER.fullmatch(text.strip()) else None


def _wildcard_equals(pattern: str, text: str) -> bool:
    """String equality where a leading and/or trailing * stands for any text."""
    if pattern.strip("*") == "":
        return True
    leading, trailing = pattern.startswith("*"), pattern.endswith("*")
    core = pattern[leading : len(pattern) - trailing]
    if leading and trailing:
        return core in text
    if leading:
        return text.endswith(core)
    if trailing:
        return text.startswith(core)
    return text == core


def _compile_regex(token: str) -> re.Pattern[str]:
    """A %regex% token, checked against the documented character set."""
    body = token[1:-1]
    if not REGEX_CHARACTERS.fullmatch(body):
        raise _invalid(
            f"{token} has a character regex patterns do not support (only letters, digits, "
            r": _ # = @ / ; , - space and the operators ^ $ ? [ ] { } | \ * + .)"
        )
    body = re.sub(r"\{(\d*),\s*(\d*)\}", r"{\1,\2}", body)  # {m, n} as {m,n}
    try:
        return re.compile(body, re.ASCII)
    except re.error as error:
        raise _invalid(f"{token} is not a valid regular expression ({error})") from None


# --- values and conditions, shared by JSON and space-delimited patterns -----------------


@dataclass(frozen=True)
class Literal:
    """The right-hand side of a comparison: a number, a string or a regex."""

    text: str
    number: float | None = None
    regex: re.Pattern[str] | None = None

    def equals(self, actual: str) -> bool:
        if self.regex is not None:
            return self.regex.search(actual) is not None
        if self.number is not None:
            return _number(actual) == self.number
        return _wildcard_equals(self.text, actual)

    def compare(self, op: str, actual: str) -> bool:
        if op == "=":
            return self.equals(actual)
        if op == "!=":
            return not self.equals(actual)
        value = _number(actual)
        return value is not None and RELATIONS[op](value, self.number)


# lookup(target) gives the values a target reads in one message: JSON nodes for a
# selector, the field's text for a space-delimited field (none when absent).
Lookup = Callable[[str], list[Any]]


def _scalar_text(node: Any) -> str | None:
    """The text of a string or number node; None for objects, arrays, booleans, null."""
    return node if isinstance(node, str) else None


@dataclass(frozen=True)
class Comparison:
    target: str
    op: str
    literal: Literal

    def holds(self, lookup: Lookup, extracted: dict[str, str]) -> bool:
        for node in lookup(self.target):
            text = _scalar_text(node)
            if text is not None and self.literal.compare(self.op, text):
                extracted[self.target] = str(text)
                return True
        return False


ABSENT = object()  # the expectation of NOT EXISTS
CHECKS = {("IS", "NULL"): None, ("IS", "TRUE"): True, ("IS", "FALSE"): False, ("NOT", "EXISTS"): ABSENT}


@dataclass(frozen=True)
class Check:
    """IS NULL, IS TRUE, IS FALSE (expected None, True, False) or NOT EXISTS (ABSENT)."""

    target: str
    expected: Any

    def holds(self, lookup: Lookup, extracted: dict[str, str]) -> bool:
        nodes = lookup(self.target)
        if self.expected is ABSENT:
            return not nodes
        return any(node is self.expected for node in nodes)


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Any, ...]

    def holds(self, lookup: Lookup, extracted: dict[str, str]) -> bool:
        # Every part is evaluated, so every comparison that holds is extracted.
        return all([part.holds(lookup, extracted) for part in self.parts])


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Any, ...]

    def holds(self, lookup: Lookup, extracted: dict[str, str]) -> bool:
        return any([part.holds(lookup, extracted) for part in self.parts])


def _tokenize_condition(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while text[position:].strip():
        token = CONDITION_TOKEN.match(text, position)
        if token is None:
            raise _invalid(f"unexpected text at {text[position:].strip()!r}")
        tokens.append((token.lastgroup or "", token.group(token.lastgroup or 0)))
        position = token.end()
    return tokens


@dataclass
class ConditionParser:
    """Recursive descent over ``or := and ('||' and)*``, ``and := unary ('&&' unary)*``,
    ``unary := '(' or ')' | TARGET OP VALUE | TARGET IS NULL|TRUE|FALSE | TARGET NOT EXISTS``.

    ``target`` checks each left-hand side and returns it; ``checks_allowed`` admits
    IS and NOT EXISTS (JSON only)."""

    tokens: list[tuple[str, str]]
    target: Callable[[str], str]
    checks_allowed: bool
    position: int = 0
    regexes: int = 0
    targets: list[str] = field(default_factory=list)

    def parse(self) -> Any:
        expression = self._or()
        if self.position < len(self.tokens):
            raise _invalid(f"unexpected {self.tokens[self.position][1]!r}")
        return expression

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def _take(self, kind: str, what: str) -> str:
        token_kind, text = self._peek()
        if token_kind != kind:
            raise _invalid(f"expected {what}, {_found(text)}")
        self.position += 1
        return text

    def _or(self) -> Any:
        parts = [self._and()]
        while self._peek() == ("logic", "||"):
            self.position += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def _and(self) -> Any:
        parts = [self._unary()]
        while self._peek() == ("logic", "&&"):
            self.position += 1
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _unary(self) -> Any:
        if self._peek() == ("paren", "("):
            self.position += 1
            expression = self._or()
            self._take("paren", "')'")
            return expression
        target = self.target(self._take("word", "a selector or field name"))
        self.targets.append(target)
        if self.checks_allowed and self._peek() in (("word", "IS"), ("word", "NOT")):
            return self._check(target)
        op = self._take("op", f"an operator after {target}")
        return Comparison(target, op, self._literal(op))

    def _check(self, target: str) -> Check:
        keyword = self._take("word", "IS or NOT")
        value = self._take("word", "NULL, TRUE, FALSE or EXISTS")
        if (keyword, value) not in CHECKS:
            raise _invalid(f"{keyword} {value} is not supported (IS NULL, IS TRUE, IS FALSE, NOT EXISTS are)")
        return Check(target, CHECKS[keyword, value])

    def _literal(self, op: str) -> Literal:
        kind, text = self._peek()
        if kind not in ("quoted", "regex", "word"):
            raise _invalid(f"expected a value after {op}, {_found(text)}")
        self.position += 1
        if kind == "regex":
            self.regexes += 1
            literal = Literal(text, regex=_compile_regex(text))
        elif kind == "quoted":
            literal = Literal(_unescape(text))
        else:
            literal = Literal(text, number=_number(text))
        if op in RELATIONS and literal.number is None:
            raise _invalid(f"{op} compares numbers, and {text} is not a number")
        if op not in ("=", "!=") and literal.regex is not None:
            raise _invalid(f"a regex can only be compared with = or !=, not {op}")
        return literal


def _parse_condition(text: str, target: Callable[[str], str], checks_allowed: bool) -> tuple[Any, ConditionParser]:
    """The condition's expression, and its parser (for the targets and regexes it saw)."""
    parser = ConditionParser(_tokenize_condition(text), target, checks_allowed)
    return parser.parse(), parser


# --- JSON patterns --------------------------------------------------------------------


class JsonNumber(str):
    """A number of a JSON message, kept as the text it was written with."""


@dataclass(frozen=True)
class JsonPattern:
    expression: Any
    selectors: dict[str, list[tuple[str, Any]]]

    def match(self, message: str) -> dict[str, str] | None:
        try:
            document = json.loads(message, parse_int=JsonNumber, parse_float=JsonNumber)
        except ValueError:
            return None

        def lookup(selector: str) -> list[Any]:
            return _select(document, self.selectors[selector])

        extracted: dict[str, str] = {}
        return extracted if self.expression.holds(lookup, extracted) else None


def _parse_selector(text: str) -> list[tuple[str, Any]]:
    """$.a.b[0].*['c.d'] as steps ("key", name), ("index", n) or ("any", None)."""
    if not text.startswith("$") or len(text) == 1:
        raise _invalid(f"{text!r} is not a selector (selectors start with $. such as $.eventType)")
    steps, position = [], 1
    while position < len(text):
        step = SELECTOR_STEP.match(text, position)
        if step is None:
            raise _invalid(f"{text!r} is not a selector (names hold letters, digits, - and _)")
        name, quoted_key, index = step.groups()
        if index is not None:
            steps.append(("index", int(index)))
        elif name is not None or quoted_key is not None:
            steps.append(("key", name if name is not None else quoted_key))
        else:
            steps.append(("any", None))
        position = step.end()
    if sum(kind == "any" for kind, _ in steps) > 1:
        raise _invalid(f"{text} has more than one wildcard selector")
    return steps


def _select(document: Any, steps: list[tuple[str, Any]]) -> list[Any]:
    """The nodes a selector reaches (several through a wildcard; none when missing)."""
    nodes = [document]
    for kind, value in steps:
        reached = []
        for node in nodes:
            if kind == "key" and isinstance(node, dict) and value in node:
                reached.append(node[value])
            elif kind == "index" and isinstance(node, list) and value < len(node):
                reached.append(node[value])
            elif kind == "any" and isinstance(node, (dict, list)):
                reached.extend(node.values() if isinstance(node, dict) else node)
        nodes = reached
    return nodes


def _parse_json(text: str) -> JsonPattern:
    if not text.endswith("}"):
        raise _invalid("a JSON pattern starts with { and ends with }")
    selectors: dict[str, list[tuple[str, Any]]] = {}

    def target(selector: str) -> str:
        selectors[selector] = _parse_selector(selector)
        return selector

    expression, parser = _parse_condition(text[1:-1], target, checks_allowed=True)
    if parser.regexes > MAX_REGEXES:
        raise _invalid(f"a pattern may hold at most {MAX_REGEXES} regexes")
    wildcards = sum(kind == "any" for selector in parser.targets for kind, _ in selectors[selector])
    if wildcards > MAX_JSON_WILDCARDS:
        raise _invalid(f"a JSON pattern may hold at most {MAX_JSON_WILDCARDS} wildcard selectors")
    return JsonPattern(expression, selectors)


# --- space-delimited patterns -----------------------------------------------------------


ELLIPSIS = "..."
Span = tuple[str | None, int, int]  # a slot and the message fields [start, end) it took


@dataclass(frozen=True)
class MessageField:
    text: str  # without its quotes or brackets
    start: int  # offset in the message


@dataclass(frozen=True)
class DelimitedPattern:
    slots: tuple[str | None, ...]  # a field name, None (an unnamed field) or ELLIPSIS
    # Per slot: the conditions decided once it is bound (those whose last field it is),
    # and the names bound before it that these or later conditions read.
    checks: tuple[tuple[Any, ...], ...]
    carried: tuple[tuple[str, ...], ...]

    def match(self, message: str) -> dict[str, str] | None:
        fields = [
            MessageField(next(group for group in found.groups() if group is not None), found.start())
            for found in MESSAGE_FIELD.finditer(message)
        ]
        alignment = _Search(self, fields, message).run(0, 0, {})
        return None if alignment is None else _extract(alignment, fields, message)


@dataclass
class _Search:
    """Depth-first search for the first way to give every slot its fields that meets
    the conditions; failures are remembered per (slot, start, values still read), so
    ellipses cost polynomial, not exponential, time."""

    pattern: DelimitedPattern
    fields: list[MessageField]
    message: str
    failed: set[tuple[Any, ...]] = field(default_factory=set)

    def run(self, slot: int, start: int, bound: dict[str, str]) -> list[Span] | None:
        if slot == len(self.pattern.slots):
            return [] if start == len(self.fields) else None
        key = self._key(slot, start, bound)
        if key in self.failed:
            return None
        try_slot = self._ellipsis if self.pattern.slots[slot] == ELLIPSIS else self._field
        found = try_slot(slot, start, bound)
        if found is None:
            self.failed.add(key)
        return found

    def _key(self, slot: int, start: int, bound: dict[str, str]) -> tuple[Any, ...]:
        return (slot, start, *(bound[name] for name in self.pattern.carried[slot]))

    def _ellipsis(self, slot: int, start: int, bound: dict[str, str]) -> list[Span] | None:
        for end in range(start, len(self.fields) + 1):
            if end > start and self._key(slot, end, bound) in self.failed:
                return None  # the ellipsis from here on is already known to fail
            rest = self.run(slot + 1, end, bound)
            if rest is not None:
                return [(ELLIPSIS, start, end), *rest]
        return None

    def _field(self, slot: int, start: int, bound: dict[str, str]) -> list[Span] | None:
        if start >= len(self.fields):
            return None
        # Without an ellipsis the last slot takes the rest of the line.
        last = slot == len(self.pattern.slots) - 1 and ELLIPSIS not in self.pattern.slots
        end = len(self.fields) if last else start + 1
        name = self.pattern.slots[slot]
        if name is not None:
            bound = {**bound, name: _field_value(self.fields, self.message, start, end)}
        if not all(check.holds(lambda target: [bound[target]], {}) for check in self.pattern.checks[slot]):
            return None
        rest = self.run(slot + 1, end, bound)
        return None if rest is None else [(name, start, end), *rest]


def _field_value(fields: list[MessageField], message: str, start: int, end: int) -> str:
    """One field's text, or the rest of the line from field start on when it took several."""
    return fields[start].text if end - start == 1 else message[fields[start].start :].rstrip()


def _extract(alignment: list[Span], fields: list[MessageField], message: str) -> dict[str, str]:
    """$name for a named slot's field, $N (1-based position) for the others."""
    values: dict[str, str] = {}
    for name, start, end in alignment:
        if name in (None, ELLIPSIS):
            values.update({f"${index + 1}": fields[index].text for index in range(start, end)})
        else:
            values[f"${name}"] = _field_value(fields, message, start, end)
    return values


def _split_slots(body: str) -> list[str]:
    """The pattern's comma-separated slots; commas in "quotes" or %regexes% stay."""
    slots, current, closer = [], "", None
    for index, char in enumerate(body):
        if closer is None and char == ",":
            slots.append(current.strip())
            current = ""
            continue
        if closer is None and char in "\"%":
            closer = char
        elif char == closer and not (char == '"' and body[index - 1] == "\\"):
            closer = None
        current += char
    return [*slots, current.strip()]


def _parse_delimited(text: str) -> DelimitedPattern:
    if not text.endswith("]"):
        raise _invalid("a space-delimited pattern starts with [ and ends with ]")
    slots: list[str | None] = []
    conditions: list[tuple[Any, list[str]]] = []  # each with the names it reads
    regexes = 0
    for slot in _split_slots(text[1:-1]):
        if slot in ("", ELLIPSIS):
            slots.append(slot or None)
            continue
        name = NAME.match(slot)
        if name is None:
            raise _invalid(f"field {slot!r} does not start with a name (letters, digits, _)")
        slots.append(name.group())
        if slot != name.group():
            condition, parser = _parse_condition(slot, lambda field_name: field_name, checks_allowed=False)
            conditions.append((condition, parser.targets))
            regexes += parser.regexes
    if regexes > MAX_REGEXES:
        raise _invalid(f"a pattern may hold at most {MAX_REGEXES} regexes")
    return _schedule(tuple(slots), conditions)


def _schedule(slots: tuple[str | None, ...], conditions: list[tuple[Any, list[str]]]) -> DelimitedPattern:
    """Each condition is decided at the last slot it reads; the names a slot carries are
    those bound before it and read by a condition decided at it or later."""
    checks: list[list[Any]] = [[] for _ in slots]
    decided_at: list[tuple[int, list[str]]] = []
    for condition, names in conditions:
        unknown = [name for name in names if name not in slots]
        if unknown:
            raise _invalid(f"the condition on {unknown[0]} names no field of the pattern")
        slot = max(slots.index(name) for name in names)
        checks[slot].append(condition)
        decided_at.append((slot, names))
    carried = tuple(
        tuple(sorted({name for at, names in decided_at if at >= slot for name in names if slots.index(name) < slot}))
        for slot in range(len(slots))
    )
    return DelimitedPattern(slots, tuple(map(tuple, checks)), carried)


# --- term and regex patterns ------------------------------------------------------------


@dataclass(frozen=True)
class TermPattern:
    required: tuple[str, ...]
    excluded: tuple[str, ...]
    optional: tuple[str, ...]  # ?terms: ignored when there are required or excluded ones

    def match(self, message: str) -> dict[str, str] | None:
        if not all(term in message for term in self.required):
            return None
        if any(term in message for term in self.excluded):
            return None
        only_optional = not (self.required or self.excluded)
        if self.optional and only_optional and not any(term in message for term in self.optional):
            return None
        return {}


def _parse_terms(text: str) -> TermPattern:
    groups: dict[str, list[str]] = {"": [], "-": [], "?": []}
    position = 0
    while text[position:].strip():
        token = TERM_TOKEN.match(text, position)
        if token is None:
            raise _invalid(f"unterminated quote in {text[position:].strip()!r}")
        prefix, quoted, bare = token.groups()
        if bare is not None and not NAME.fullmatch(bare):
            raise _invalid(
                f"invalid character(s) in term {bare!r}: quote terms that hold anything but letters, digits and _"
            )
        term = bare if bare is not None else _unescape(quoted)
        groups[prefix].append(term if term.strip() else "")  # " " matches everything
        position = token.end()
    return TermPattern(tuple(groups[""]), tuple(groups["-"]), tuple(groups["?"]))


@dataclass(frozen=True)
class RegexPattern:
    regex: re.Pattern[str]

    def match(self, message: str) -> dict[str, str] | None:
        return {} if self.regex.search(message) else None


def parse_filter_pattern(text: str) -> JsonPattern | DelimitedPattern | RegexPattern | TermPattern:
    """The pattern, by the kind its first character announces; raises
    InvalidParameterException when it is not valid."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return _parse_json(stripped)
    if stripped.startswith("["):
        return _parse_delimited(stripped)
    if len(stripped) > 1 and stripped.startswith("%") and stripped.endswith("%"):
        return RegexPattern(_compile_regex(stripped))
    return _parse_terms(stripped)


def match_filter_pattern(pattern: str, message: str) -> dict[str, str] | None:
    """The values the pattern extracts from the message, or None when it does not match."""
    return parse_filter_pattern(pattern).match(message)


# --- the API ------------------------------------------------------------------------------


def _validated_request(self: LogsResponse) -> tuple[str, list[str]]:
    pattern = self._get_param("filterPattern")
    messages = self._get_param("logEventMessages")
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidParameterException(
            constraint=f"Member must not be null and have length less than or equal to {MAX_PATTERN_LENGTH}",
            parameter="filterPattern",
            value=pattern,
        )
    low, high = MESSAGES_RANGE
    if not isinstance(messages, list) or not low <= len(messages) <= high:
        raise InvalidParameterException(
            constraint=f"Member must not be null and have length between {low} and {high}",
            parameter="logEventMessages",
            value=messages,
        )
    if not all(isinstance(message, str) and message for message in messages):
        raise InvalidParameterException(
            constraint="Member must have length greater than or equal to 1",
            parameter="logEventMessages",
            value=messages,
        )
    return pattern, messages


def _respond(self: LogsResponse) -> str:
    pattern_text, messages = _validated_request(self)
    pattern = parse_filter_pattern(pattern_text)
    matches = []
    for number, message in enumerate(messages, start=1):
        extracted = pattern.match(message)
        if extracted is not None:
            matches.append({"eventNumber": number, "eventMessage": message, "extractedValues": extracted})
    return json.dumps({"matches": matches})


def install() -> list[str]:
    LogsResponse.test_metric_filter = _respond  # type: ignore[attr-defined]
    return ["CloudWatch Logs TestMetricFilter"]
