#!/usr/bin/env python3
"""Refresh data/*.json.gz from botocore's API models (the exact AWS service
definitions), dropping documentation to keep the embedded copies small.

Usage: python3 update-models.py [BOTOCORE_DATA_DIR]
"""
import gzip, json, os, sys

SERVICES = {
    "ec2": "2016-11-15", "rds": "2014-10-31", "sts": "2011-06-15", "ssm": "2014-11-06",
    "secretsmanager": "2017-10-17", "resourcegroupstaggingapi": "2017-01-26",
    "iam": "2010-05-08", "elbv2": "2015-12-01", "ecs": "2014-11-13",
    "servicediscovery": "2017-03-14", "logs": "2014-03-28", "s3": "2006-03-01",
    "elasticache": "2015-02-02", "acm": "2015-12-08",
}

def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v

def main():
    if len(sys.argv) > 1:
        src = sys.argv[1]
    else:
        import botocore
        src = os.path.join(os.path.dirname(botocore.__file__), "data")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    for name, version in SERVICES.items():
        with gzip.open(os.path.join(src, name, version, "service-2.json.gz")) as f:
            model = strip(json.load(f))
        with gzip.GzipFile(os.path.join(out, name + ".json.gz"), "wb", mtime=0) as f:
            f.write(json.dumps(model, sort_keys=True, separators=(",", ":")).encode())

main()
