"""Typed syntax-tree nodes of the filter language (see :mod:`collider_viz.physics.expr`).

Every node has a ``kind`` — ``"num"``, ``"bool"`` or ``"collection"`` — checked
when the tree is built, so ``mass and 2`` fails before any data is read. Nodes
evaluate to numpy arrays over the events of a batch (or plain floats).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import SelectionError
from collider_viz.physics.event import EventBatch

COMPARE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}
_COUNTS = {"photon": "photons", "muon": "muons", "electron": "electrons", "jet": "jets",
           "track": "tracks", "vertex": "vertices", "vertice": "vertices", "pv": "vertices",
           "vtx": "vertices", "calo": "calo"}
_SCALARS = {"met": "met", "mass": "mass", "run": "run", "lumi": "lumi",
            "luminosityblock": "lumi", "event": "event", "entry": "entry"}
_PARTICLES = {c[:-1]: c for c in ("photons", "muons", "electrons", "jets", "tracks")}
FUNCTIONS = {"abs": ("num",), "min": ("num", "num"), "max": ("num", "num"),
             "max_pt": ("collection",), "sum_pt": ("collection",)}
_KNOWN = ("nPhoton, nMuon, nElectron, nJet, nTrack, nVertex, nCalo, met, mass, run, lumi, "
          "event, entry; functions abs, min, max, max_pt(C), sum_pt(C) with C one of "
          "photons, muons, electrons, jets, tracks")
_WHAT = {"num": "a number", "bool": "a condition", "collection": "a collection"}


class ExpressionError(SelectionError):
    """A filter expression is invalid.

    Attributes
    ----------
    text : str
        The expression.
    column : int
        1-based column of the problem.
    problem : str
        What was wrong / expected.
    """

    def __init__(self, text: str, column: int, problem: str) -> None:
        self.text, self.column, self.problem = text, column, problem
        shown = " ".join(text.split())
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"filter {shown!r}, column {column}: {problem}")


class Context:
    """What a tree is evaluated against: one batch and the candidate masses."""

    def __init__(self, batch: EventBatch, mass: np.ndarray | None, text: str = "") -> None:
        self.batch, self.n, self.text = batch, len(batch), text
        self.mass = np.full(self.n, np.nan) if mass is None else np.asarray(mass, np.float64)

    def collection(self, name: str, col: int) -> ak.Array:
        arr = self.batch.collections.get(name)
        if arr is None:
            have = ", ".join(self.batch.collections) or "none"
            raise ExpressionError(self.text, col, f"this file has no {name} (it has: {have})")
        return arr

    def scalar(self, key: str, col: int) -> np.ndarray:
        if key == "mass":
            return self.mass
        if key == "entry":
            return np.arange(self.batch.start, self.batch.start + self.n, dtype=np.float64)
        if key == "met":
            met = ak.firsts(self.collection("met", col)["pt"], axis=1)
            return np.asarray(ak.to_numpy(ak.fill_none(met, np.nan)), dtype=np.float64)
        ids = self.batch.ids.get(key)
        return np.full(self.n, np.nan) if ids is None else np.asarray(ids, dtype=np.float64)


@dataclass
class Node:
    """Base node: ``col`` is the 1-based column where it starts."""

    col: int
    kind = "num"

    def evaluate(self, ctx: Context) -> Any:
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()

    def names(self) -> set[str]:
        """Variable keys used in the tree."""
        return set().union(*(c.names() for c in self.children()))

    def collections(self) -> set[str]:
        """Collections the tree reads."""
        return set().union(*(c.collections() for c in self.children()))


def _need(node: Node, kind: str, what: str, src: str) -> None:
    if node.kind != kind:
        raise ExpressionError(src, node.col, f"{what} needs {_WHAT[kind]}, "
                              f"found {_WHAT[node.kind]}")


@dataclass
class Number(Node):
    value: float

    def evaluate(self, ctx: Context) -> float:
        return self.value


@dataclass
class Name(Node):
    key: str
    collection: str | None = None

    @classmethod
    def make(cls, text: str, col: int, src: str) -> Node:
        low = text.lower()
        if low in FUNCTIONS:
            raise ExpressionError(src, col, f"{text} is a function; write {text}(...)")
        if low.startswith("n") and low[1:].rstrip("s") in _COUNTS:
            coll = _COUNTS[low[1:].rstrip("s")]
            return cls(col, "count", coll)
        if low in _SCALARS:
            key = _SCALARS[low]
            return cls(col, key, "met" if key == "met" else None)
        if low.rstrip("s") in _PARTICLES:
            return CollectionRef(col, _PARTICLES[low.rstrip("s")])
        raise ExpressionError(src, col, f"unknown name {text!r}; known names: {_KNOWN}")

    def evaluate(self, ctx: Context) -> np.ndarray:
        if self.key == "count":
            arr = ctx.collection(self.collection or "", self.col)
            return np.asarray(ak.to_numpy(ak.num(arr, axis=1)), dtype=np.float64)
        return ctx.scalar(self.key, self.col)

    def names(self) -> set[str]:
        return {self.key}

    def collections(self) -> set[str]:
        return {self.collection} if self.collection else set()


@dataclass
class CollectionRef(Node):
    name: str
    kind = "collection"

    def collections(self) -> set[str]:
        return {self.name}


@dataclass
class Call(Node):
    func: str
    args: tuple[Node, ...]

    @classmethod
    def make(cls, name: str, args: list[Node], col: int, src: str) -> Node:
        func = name.lower()
        if func not in FUNCTIONS:
            raise ExpressionError(src, col, f"unknown function {name!r}; known: "
                                  f"{', '.join(FUNCTIONS)}")
        kinds = FUNCTIONS[func]
        if len(args) != len(kinds):
            raise ExpressionError(src, col, f"{func}() takes {len(kinds)} argument(s), "
                                  f"got {len(args)}")
        for arg, kind in zip(args, kinds):
            _need(arg, kind, f"{func}()", src)
        return cls(col, func, tuple(args))

    def evaluate(self, ctx: Context) -> Any:
        if self.func in ("max_pt", "sum_pt"):
            ref = self.args[0]
            pt = ctx.collection(ref.name, ref.col)["pt"]  # type: ignore[attr-defined]
            red = ak.max(pt, axis=1) if self.func == "max_pt" else ak.sum(pt, axis=1)
            return np.asarray(ak.to_numpy(ak.fill_none(red, np.nan)), dtype=np.float64)
        vals = [a.evaluate(ctx) for a in self.args]
        fn = {"abs": np.abs, "min": np.fmin, "max": np.fmax}[self.func]
        return fn(*vals)

    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass
class Negate(Node):
    op: str
    operand: Node

    @classmethod
    def make(cls, op: str, operand: Node, col: int, src: str) -> Node:
        _need(operand, "num", f"unary '{op}'", src)
        return cls(col, op, operand)

    def evaluate(self, ctx: Context) -> Any:
        value = self.operand.evaluate(ctx)
        return -value if self.op == "-" else value

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass
class Arith(Node):
    op: str
    left: Node
    right: Node

    @classmethod
    def make(cls, op: str, left: Node, right: Node, col: int, src: str) -> Node:
        _need(left, "num", f"'{op}'", src)
        _need(right, "num", f"'{op}'", src)
        return cls(left.col, op, left, right)

    def evaluate(self, ctx: Context) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ARITH[self.op](np.asarray(self.left.evaluate(ctx), dtype=np.float64),
                                   self.right.evaluate(ctx))

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass
class Compare(Node):
    ops: tuple[str, ...]
    operands: tuple[Node, ...]
    kind = "bool"

    @classmethod
    def make(cls, first: Node, ops: list[Any], rest: list[Node], src: str) -> Node:
        operands = (first, *rest)
        _need(first, "num", f"'{ops[0].text}'", src)
        for node, tok in zip(operands[1:], ops):
            _need(node, "num", f"'{tok.text}'", src)
        return cls(first.col, tuple(t.text for t in ops), operands)

    def evaluate(self, ctx: Context) -> Any:
        vals = [n.evaluate(ctx) for n in self.operands]
        out: Any = True
        for op, lhs, rhs in zip(self.ops, vals, vals[1:]):
            out = np.logical_and(out, COMPARE_OPS[op](np.asarray(lhs, dtype=np.float64), rhs))
        return out

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass
class BoolOp(Node):
    op: str
    left: Node
    right: Node
    kind = "bool"

    @classmethod
    def make(cls, op: str, left: Node, right: Node, col: int, src: str) -> Node:
        _need(left, "bool", f"'{op}'", src)
        _need(right, "bool", f"'{op}'", src)
        return cls(left.col, op, left, right)

    def evaluate(self, ctx: Context) -> Any:
        fn = np.logical_and if self.op == "and" else np.logical_or
        return fn(self.left.evaluate(ctx), self.right.evaluate(ctx))

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass
class Not(Node):
    operand: Node
    kind = "bool"

    @classmethod
    def make(cls, operand: Node, col: int, src: str) -> Node:
        _need(operand, "bool", "'not'", src)
        return cls(col, operand)

    def evaluate(self, ctx: Context) -> Any:
        return np.logical_not(self.operand.evaluate(ctx))

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)
