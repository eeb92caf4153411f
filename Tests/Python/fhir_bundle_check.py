"""Validates an OpenBCT FHIR bundle with fhir.resources' R4B models and prints what it holds as JSON.

usage: fhir_bundle_check.py BUNDLE.json
"""
import base64
import json
import sys

from fhir.resources.R4B.bundle import Bundle


def main(path):
    with open(path, "rb") as f:
        raw = f.read()
    bundle = Bundle.model_validate_json(raw)
    out = {"type": bundle.type, "resources": {}, "observationCodes": [], "units": []}
    for entry in bundle.entry:
        r = entry.resource
        name = r.__resource_type__ if hasattr(r, "__resource_type__") else r.resource_type
        out["resources"][name] = out["resources"].get(name, 0) + 1
        if name == "Observation":
            c = r.code.coding[0]
            out["observationCodes"].append(f"{c.system}|{c.code}")
            if r.valueQuantity is not None:
                out["units"].append(r.valueQuantity.code)
        if name == "DiagnosticReport":
            form = r.presentedForm[0]
            # fhir.resources decodes base64Binary to bytes; older versions keep the base64 text.
            pdf = form.data if isinstance(form.data, bytes) and form.data.startswith(b"%PDF") else base64.b64decode(form.data)
            out["report"] = {"status": r.status, "code": r.code.coding[0].code, "results": len(r.result),
                             "contentType": form.contentType, "pdfBytes": len(pdf), "isPDF": pdf.startswith(b"%PDF"),
                             "conclusionCode": r.conclusionCode[0].coding[0].code if r.conclusionCode else None}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
