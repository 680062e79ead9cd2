"""A small, safe expression language for event filters.

Examples::

    nPhoton >= 2 and mass > 120 and mass < 130
    nTrack > 100 or not (met > 50)
    110 < mass < 140 and max_pt(photons) > 40

Grammar (lowest precedence first; comparisons may be chained as in Python)::

    expr     := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := ("-" | "+") unary | atom
    atom     := NUMBER | NAME | NAME "(" args ")" | "(" expr ")"

Names (case-insensitive): ``nPhoton``/``nPhotons`` and likewise ``nMuon``,
``nElectron``, ``nJet``, ``nTrack``, ``nVertex``/``nPV``, ``nCalo`` (object
counts); ``met`` (missing transverse momentum, GeV); ``mass`` (candidate mass
of the preset combined with the filter, NaN without one); ``run``, ``lumi``,
``event``, ``entry``. Functions: ``abs(x)``, ``min(x, y)``, ``max(x, y)``,
``max_pt(C)`` (leading pT of collection C, NaN if empty), ``sum_pt(C)`` (scalar
sum). Comparisons with NaN are false.

The text is tokenised and parsed by hand into :mod:`~collider_viz.physics._expr_nodes`
objects; it is never passed to Python's ``eval``, ``exec`` or ``compile``. Errors
raise :class:`ExpressionError` naming the column and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from collider_viz.limits import MAX_EXPR_CHARS, MAX_EXPR_DEPTH, MAX_EXPR_TERMS
from collider_viz.physics import _expr_nodes as nd
from collider_viz.physics._expr_nodes import ExpressionError, Node
from collider_viz.physics.event import EventBatch

__all__ = ["Filter", "ExpressionError", "parse", "KNOWN_NAMES"]

MAX_LENGTH = MAX_EXPR_CHARS
MAX_DEPTH = MAX_EXPR_DEPTH
MAX_TERMS = MAX_EXPR_TERMS
KNOWN_NAMES = ("nPhoton", "nMuon", "nElectron", "nJet", "nTrack", "nVertex", "nCalo",
               "met", "mass", "run", "lumi", "event", "entry")
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>|[-+*/(),])
""", re.VERBOSE)
_HINTS = {"&": "use 'and'", "|": "use 'or'", "!": "use 'not' or '!='", "=": "use '=='"}


@dataclass(frozen=True)
class Token:
    """One lexical token: kind (``num``, ``name``, ``op``, ``end``), text, 1-based column."""

    kind: str
    text: str
    col: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``end`` token."""
    tokens, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            ch = text[i]
            hint = _HINTS.get(ch, "expected a number, a name, an operator or a parenthesis")
            raise ExpressionError(text, i + 1, f"unexpected character {ch!r}; {hint}")
        if m.lastgroup != "ws":
            tokens.append(Token(m.lastgroup or "", m.group(), i + 1))
        i = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive-descent parser producing typed nodes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.terms = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def fail(self, expected: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.tok
        found = "end of input" if tok.kind == "end" else repr(tok.text)
        return ExpressionError(self.text, tok.col, f"expected {expected} but found {found}")

    def accept(self, *texts: str) -> Token | None:
        tok = self.tok
        if tok.kind in ("op", "name") and tok.text.lower() in texts:
            self.i += 1
            return tok
        return None

    def expect(self, text: str, what: str) -> Token:
        tok = self.accept(text)
        if tok is None:
            raise self.fail(what)
        return tok

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "end":
            raise self.fail("an operator ('and', 'or', a comparison, + - * /) or the end")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while (tok := self.accept("or")) is not None:
            node = nd.BoolOp.make("or", node, self.and_(), tok.col, self.text)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while (tok := self.accept("and")) is not None:
            node = nd.BoolOp.make("and", node, self.not_(), tok.col, self.text)
        return node

    def not_(self) -> Node:
        tok = self.accept("not")
        if tok is None:
            return self.compare()
        return nd.Not.make(self.nested(self.not_), tok.col, self.text)

    def compare(self) -> Node:
        first = self.sum_()
        ops, rest = [], []
        while (tok := self.accept(*nd.COMPARE_OPS)) is not None:
            ops.append(tok)
            rest.append(self.sum_())
        return nd.Compare.make(first, ops, rest, self.text) if ops else first

    def sum_(self) -> Node:
        node = self.product()
        while (tok := self.accept("+", "-")) is not None:
            node = nd.Arith.make(tok.text, node, self.product(), tok.col, self.text)
        return node

    def product(self) -> Node:
        node = self.unary()
        while (tok := self.accept("*", "/")) is not None:
            node = nd.Arith.make(tok.text, node, self.unary(), tok.col, self.text)
        return node

    def unary(self) -> Node:
        tok = self.accept("-", "+")
        if tok is None:
            return self.atom()
        return nd.Negate.make(tok.text, self.nested(self.unary), tok.col, self.text)

    def nested(self, rule: object) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(self.text, self.tok.col, f"nested deeper than {MAX_DEPTH} "
                                  "levels (the limit of docs/LIMITS.md)")
        try:
            return rule()  # type: ignore[operator]
        finally:
            self.depth -= 1

    def atom(self) -> Node:
        tok = self.tok
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise ExpressionError(self.text, tok.col, f"more than {MAX_TERMS} operands "
                                  "(the limit of docs/LIMITS.md)")
        if tok.kind == "num":
            self.i += 1
            return nd.Number(tok.col, self.number(tok))
        if self.accept("(") is not None:
            node = self.nested(self.or_)
            self.expect(")", "')'")
            return node
        if tok.kind == "name" and tok.text.lower() not in ("and", "or", "not"):
            self.i += 1
            if self.accept("(") is not None:
                return self.call(tok)
            return nd.Name.make(tok.text, tok.col, self.text)
        raise self.fail("a number, a name or '('")

    def number(self, tok: Token) -> float:
        value = float(tok.text)
        if not np.isfinite(value):
            raise ExpressionError(self.text, tok.col, f"number {tok.text} is too large")
        return value

    def call(self, name: Token) -> Node:
        args: list[Node] = []
        if self.accept(")") is None:
            args.append(self.nested(self.or_))
            while self.accept(",") is not None:
                args.append(self.nested(self.or_))
            self.expect(")", "',' or ')'")
        return nd.Call.make(name.text, args, name.col, self.text)


def parse(text: str) -> Node:
    """Parse ``text`` into an expression tree.

    Raises
    ------
    ExpressionError
        On a syntax error, an unknown name or a type mismatch (e.g. ``mass and 2``).
    """
    if not isinstance(text, str):
        raise ExpressionError(str(text), 1, "a filter must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:40] + "...", MAX_LENGTH, f"filter longer than {MAX_LENGTH} "
                              "characters")
    if not text.strip():
        raise ExpressionError(text, 1, "empty filter; expected a condition such as 'mass > 120'")
    return _Parser(text).parse()


class Filter:
    """A parsed filter expression that selects events of a batch.

    Parameters
    ----------
    text : str
        The expression; it must be a condition (comparison or and/or/not).

    Attributes
    ----------
    text : str
    tree : Node
    collections : tuple of str
        Collections the expression reads (to read only those from the file).
    uses_mass : bool
        True when the expression refers to ``mass``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = parse(text)
        if self.tree.kind != "bool":
            raise ExpressionError(text, 1, "a filter must be a condition, e.g. "
                                  f"'{text.strip()} > 0'")
        self.collections = tuple(sorted(self.tree.collections()))
        self.uses_mass = "mass" in self.tree.names()

    def evaluate(self, batch: EventBatch, mass: np.ndarray | None = None) -> np.ndarray:
        """Boolean mask over the events of ``batch``.

        Parameters
        ----------
        batch : EventBatch
        mass : np.ndarray, optional
            Candidate mass per event (NaN where none); NaN everywhere when omitted.
        """
        ctx = nd.Context(batch, mass, self.text)
        out = np.asarray(self.tree.evaluate(ctx), dtype=bool)
        return np.broadcast_to(out, (len(batch),)).copy()

    def __repr__(self) -> str:
        return f"Filter({self.text!r})"
