"""OpenRosa 1.0 protocol documents: pure functions, no ORM and no request.

Builds the xformsList, manifest and OpenRosaResponse documents, reads what a
published XForm needs (instance root, version, repeats, binary fields, media it
references) and parses submitted instances with a parser that refuses DTDs,
entities and network access.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from lxml import etree

from collect.exceptions import FormPublishError, MalformedSubmission, MissingInstanceId

OPENROSA_VERSION = "1.0"
XFORMS_NS = "http://www.w3.org/2002/xforms"
XFORMS_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
XHTML_NS = "http://www.w3.org/1999/xhtml"

MEDIA_REFERENCE = re.compile(r"jr://(?:images|audio|video|file|file-csv)/([^\s\"'<>()]+)")


def md5_hex(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


# --- documents we send -------------------------------------------------------


def response_xml(message: str, *, nature: str = "submit_success") -> bytes:
    """The OpenRosaResponse body Collect shows the worker (nature `error` for failures)."""
    root = etree.Element(f"{{{RESPONSE_NS}}}OpenRosaResponse", nsmap={None: RESPONSE_NS})
    root.set("items", "0")
    node = etree.SubElement(root, f"{{{RESPONSE_NS}}}message", nature=nature)
    node.text = message
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class FormListEntry:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str | None = None


def form_list_xml(entries: Iterable[FormListEntry]) -> bytes:
    root = etree.Element(f"{{{XFORMS_LIST_NS}}}xforms", nsmap={None: XFORMS_LIST_NS})
    for entry in entries:
        xform = etree.SubElement(root, f"{{{XFORMS_LIST_NS}}}xform")
        for tag, value in (
            ("formID", entry.form_id),
            ("name", entry.name),
            ("version", entry.version),
            ("hash", f"md5:{entry.md5}"),
            ("downloadUrl", entry.download_url),
        ):
            etree.SubElement(xform, f"{{{XFORMS_LIST_NS}}}{tag}").text = value
        if entry.manifest_url:
            etree.SubElement(xform, f"{{{XFORMS_LIST_NS}}}manifestUrl").text = entry.manifest_url
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class MediaFileEntry:
    filename: str
    md5: str
    download_url: str


def manifest_xml(files: Iterable[MediaFileEntry]) -> bytes:
    root = etree.Element(f"{{{MANIFEST_NS}}}manifest", nsmap={None: MANIFEST_NS})
    for media in files:
        node = etree.SubElement(root, f"{{{MANIFEST_NS}}}mediaFile")
        etree.SubElement(node, f"{{{MANIFEST_NS}}}filename").text = media.filename
        etree.SubElement(node, f"{{{MANIFEST_NS}}}hash").text = f"md5:{media.md5}"
        etree.SubElement(node, f"{{{MANIFEST_NS}}}downloadUrl").text = media.download_url
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- published XForms --------------------------------------------------------


@dataclass(frozen=True)
class XFormSummary:
    form_id: str
    version: str
    title: str
    repeat_paths: list[str]
    binary_paths: list[str]
    media_names: list[str]
    field_paths: list[str]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relative(nodeset: str, root_name: str) -> str:
    return nodeset.removeprefix(f"/{root_name}/").strip("/")


def xform_summary(xform: str) -> XFormSummary:
    """What the server needs to know about an XForm to list it and parse its instances."""
    try:
        html = fromstring(xform.encode(), forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise FormPublishError(f"XForm 无法解析：{exc}") from exc
    model = html.find(f"{{{XHTML_NS}}}head/{{{XFORMS_NS}}}model")
    if model is None:
        raise FormPublishError("XForm 缺少 model")
    instance = next(
        (i for i in model.findall(f"{{{XFORMS_NS}}}instance") if "id" not in i.attrib), None
    )
    if instance is None or len(instance) == 0:
        raise FormPublishError("XForm 缺少主实例")
    data = instance[0]
    root_name = _local(data.tag)
    form_id = data.get("id") or root_name
    title_node = html.find(f"{{{XHTML_NS}}}head/{{{XHTML_NS}}}title")
    binds = list(model.iter(f"{{{XFORMS_NS}}}bind"))
    field_paths = [_relative(bind.get("nodeset", ""), root_name) for bind in binds]
    binary_paths = [
        _relative(bind.get("nodeset", ""), root_name)
        for bind in binds
        if bind.get("type") == "binary"
    ]
    repeat_paths = [
        _relative(repeat.get("nodeset", ""), root_name)
        for repeat in html.iter(f"{{{XFORMS_NS}}}repeat")
    ]
    media_names = sorted(set(MEDIA_REFERENCE.findall(xform)))
    return XFormSummary(
        form_id=form_id,
        version=data.get("version", ""),
        title=(title_node.text or form_id) if title_node is not None else form_id,
        repeat_paths=repeat_paths,
        binary_paths=binary_paths,
        media_names=media_names,
        field_paths=field_paths,
    )


# --- submitted instances -----------------------------------------------------


@dataclass
class Instance:
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    root: Element = field(repr=False)


def instance_parse(xml: bytes) -> Instance:
    """Parse a submitted instance; refuses DTDs and entities (billion laughs, XXE)."""
    try:
        root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise MalformedSubmission("提交内容包含不允许的 XML 声明（DTD/实体），已拒绝") from exc
    except (ParseError, ValueError) as exc:
        raise MalformedSubmission() from exc
    form_id = root.get("id") or ""
    if not form_id:
        raise MalformedSubmission("提交内容缺少表单ID，请获取最新表单后重新填写")
    meta = next((child for child in root if _local(child.tag) == "meta"), None)
    instance_id = _meta_value(meta, "instanceID")
    if not instance_id:
        raise MissingInstanceId()
    return Instance(
        form_id=form_id,
        version=root.get("version", ""),
        instance_id=instance_id,
        deprecated_id=_meta_value(meta, "deprecatedID"),
        root=root,
    )


def _meta_value(meta: Element | None, name: str) -> str:
    if meta is None:
        return ""
    node = next((child for child in meta if _local(child.tag) == name), None)
    return (node.text or "").strip() if node is not None else ""


def instance_answers(instance: Instance, *, repeat_paths: Iterable[str]) -> dict:
    """Answers keyed by field path ("group/field"); a repeat is a list of such dicts."""
    answers: dict = {}
    _flatten(instance.root, "", answers, frozenset(repeat_paths))
    return answers


def _flatten(element: Element, prefix: str, out: dict, repeats: frozenset[str]) -> None:
    for child in element:
        path = f"{prefix}{_local(child.tag)}"
        if path in repeats:
            entry: dict = {}
            _flatten(child, f"{path}/", entry, repeats)
            out.setdefault(path, []).append(entry)
        elif len(child):
            _flatten(child, f"{path}/", out, repeats)
        else:
            out[path] = (child.text or "").strip()


def instance_values(answers: dict, paths: Iterable[str]) -> list[str]:
    """Every non-empty answer at the given paths, looking inside repeats; in document order."""
    wanted = set(paths)
    found: list[str] = []

    def walk(entries: dict) -> None:
        for key, value in entries.items():
            if isinstance(value, list):
                for entry in value:
                    walk(entry)
            elif key in wanted and value:
                found.append(value)

    walk(answers)
    return list(dict.fromkeys(found))


def answer_by_name(answers: dict, name: str) -> str:
    """The first non-repeated answer whose field name is `name` (the shallowest wins)."""
    return answers_by_name(answers, (name,))[name]


def answers_by_name(answers: dict, names: Iterable[str]) -> dict[str, str]:
    """answer_by_name for several names, in one pass over the answers ("" when absent)."""
    found = dict.fromkeys(names, "")
    depths: dict[str, int] = {}
    for key, value in answers.items():
        if not isinstance(value, str):
            continue
        name = key.rpartition("/")[2]
        if name in found:
            depth = key.count("/")
            if name not in depths or depth < depths[name]:
                depths[name] = depth
                found[name] = value
    return found
