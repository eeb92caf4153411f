#!/usr/bin/env python3
"""Parses a FHIR resource (JSON text as the argument) with fhir.resources' R4B models, which reject
unknown elements, wrong types and bad codes; prints "TYPE STATUS CODE".

usage: fhir_r4_check.py JSON
"""
import json
import sys

from fhir.resources.R4B import get_fhir_model_class


def main():
    data = json.loads(sys.argv[1])
    resource = get_fhir_model_class(data["resourceType"]).model_validate(data)
    print(resource.resource_type if hasattr(resource, "resource_type") else data["resourceType"],
          resource.status, resource.code.coding[0].code)


if __name__ == "__main__":
    main()
