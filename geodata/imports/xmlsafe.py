"""XML parsing for imports, refusing every XML attack.

defusedxml with forbid_dtd: a DOCTYPE at all (so billion laughs, external
entities such as file:///etc/passwd, and external DTDs) is refused before
anything is expanded or fetched.
"""

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class UnsafeXml(ValueError):
    """The document was refused (DTD, entity, external reference) or is not XML."""


def parse_xml(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        msg = f"Refused unsafe XML ({type(error).__name__}): DTDs and entities are not accepted."
        raise UnsafeXml(msg) from error
    except ParseError as error:
        msg = f"Not well-formed XML: {error}."
        raise UnsafeXml(msg) from error


def local(tag: str) -> str:
    """`{namespace}name` -> `name`: GPX 1.0/1.1 and KML variants read alike."""
    return tag.rsplit("}", 1)[-1]


def child(element: Element, name: str) -> Element | None:
    return next((item for item in element if local(item.tag) == name), None)


def children(element: Element, name: str) -> list[Element]:
    return [item for item in element if local(item.tag) == name]


def text(element: Element | None, name: str | None = None) -> str:
    if element is not None and name is not None:
        element = child(element, name)
    return (element.text or "").strip() if element is not None else ""
