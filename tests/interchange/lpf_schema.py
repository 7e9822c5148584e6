"""Validators for Linked Places exports: the World Historical Gazetteer's own
schema (whg3 lpf_v2.0 + csl-citation, found outside the repository: see
tests/data/linked-places/NOTICE.md) and our restatement of its rules."""

import hashlib
import json
import os
from pathlib import Path

import jsonschema
from django.conf import settings
from referencing import Registry, Resource

DATA = Path(__file__).resolve().parent.parent / "data" / "linked-places"
WHG_FILES = {
    "lpf_v2.0.jsonld": "c0f2ae3a3b69d32e0397c555a029fefc6e78767ccad541ec16aa194b3cf17f99",
    "csl-citation.json": "8a2d66066b2aefa8c3a95e21550b5e309b405bf3183488ff4d8aa041d885a38f",
}


def whg_schema_folder() -> Path | None:
    """Where the unchanged whg3 files are, if anywhere."""
    base = Path(settings.BASE_DIR)
    candidates = [
        os.environ.get("HERITAGE_WHG_SCHEMAS", ""),
        base / "var" / "whg-schemas",
        base.parent / "shared" / "data" / "whg",
    ]
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).is_file() for name in WHG_FILES):
            return Path(candidate)
    return None


def whg_validator(folder: Path) -> jsonschema.Draft7Validator:
    documents = {}
    for name, digest in WHG_FILES.items():
        raw = (folder / name).read_bytes()
        wrong = f"{folder / name} is not the whg3 file NOTICE.md names"
        assert hashlib.sha256(raw).hexdigest() == digest, wrong
        documents[name] = json.loads(raw)
    registry = Registry().with_resources(
        (document["$id"], Resource.from_contents(document)) for document in documents.values()
    )
    return jsonschema.Draft7Validator(documents["lpf_v2.0.jsonld"], registry=registry)


def core_validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((DATA / "lpf-core.schema.json").read_text("utf-8")))


def schema_errors(validator: jsonschema.Draft7Validator, document: dict) -> list[str]:
    errors = validator.iter_errors(document)
    return [f"{list(error.absolute_path)}: {error.message[:300]}" for error in errors]
