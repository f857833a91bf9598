"""The scored areas (dimensions), the advice each gives for a band, and links to handbook pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..reader import Reader, join
from .names import Names
from .spelling import Fields, write


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    page: str
    """A handbook page as a path under docs/, such as ``how/money.md``, optionally with #anchor."""
    title: str | None = None

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Link | None:
        """A link, written as a mapping or as its page alone; with pages known, it must name one."""
        if isinstance(value, str):
            value = {"page": value}
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        page = spec.text("page")
        title = spec.text("title", required=False)
        if page is None:
            return None
        if names.pages is not None:
            target = page.split("#", 1)[0]
            if target not in names.pages:
                where = "page" if "title" in spec else None
                spec.problem(where, f"links to '{page}', which is not a handbook page")
                return None
            title = title or names.pages[target]
        return cls(page=page, title=title)

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Advice:
    text: str
    links: tuple[Link, ...] = ()

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Advice | None:
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        text = spec.text("text")
        links = spec.items("links", Link, names, optional=True)
        if text is None:
            return None
        return cls(text=text, links=tuple(links))

    def to_data(self) -> dict[str, Any]:
        return write(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class Dimension:
    id: str
    title: str
    description: str | None = None
    advice: Mapping[str, Advice] = field(default_factory=dict)
    """Advice for each band id."""
    prompt: str | None = None
    """A question for a team to discuss when it is split in this area (the workshop pack)."""

    @classmethod
    def from_data(cls, read: Reader, value: Any, path: str, names: Names) -> Dimension | None:
        """Advice is needed for every band declared, even one whose threshold is broken."""
        spec = Fields.of(read, value, path, cls)
        if spec is None:
            return None
        dimension_id = spec.identifier("id")
        title = spec.text("title")
        description = spec.text("description", required=False)
        prompt = spec.text("prompt", required=False)
        advice: dict[str, Advice] = {}
        given = spec.mapping("advice", allowed=names.bands)
        if given is not None:
            for band_id in names.bands:
                if band_id not in given:
                    spec.problem("advice", f"no advice for band '{band_id}'")
            for band_id, body in given.items():
                if band_id in names.bands:
                    item = Advice.from_data(read, body, join(spec.at("advice"), band_id), names)
                    if item is not None:
                        advice[band_id] = item
        if dimension_id is None or title is None:
            return None
        return cls(id=dimension_id, title=title, description=description, advice=advice, prompt=prompt)

    def to_data(self) -> dict[str, Any]:
        return write(self, keep=("advice",))  # required when read, even if empty
