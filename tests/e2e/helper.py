"""Steps of the end-to-end apply test (scripts/e2e-apply.sh) that need a YAML or AWS client.

  helper.py add-index PROFILE OUT       the profile, with one more index on an autoscaled table
                                        that has indexes; prints the table's key, its AWS name
                                        and one of its indexes (exit 3 when there is none)
  helper.py unprotect PROFILE OUT       the profile with deletion protection off everywhere
  helper.py drift ENDPOINT REGION       set every autoscaled table and index to its scalable
                                        target's maximum, behind Terraform's back, as
                                        Application Auto Scaling would; prints how many
  helper.py index ENDPOINT REGION TABLE INDEX
                                        prints "READ WRITE" capacity of an index (exit 1: none)

Profiles are written as JSON, which is YAML 1.2 and what capform reads as well.
"""

import json
import sys

import boto3
import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def save(profile, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(profile, f, indent=2)


def autoscaled(table):
    return table.get("billing") == "provisioned" and table.get("autoscaling", True)


def add_index(src, out):
    p = load(src)
    for key, t in p["tables"].items():
        if autoscaled(t) and t.get("indexes"):
            existing = next(iter(t["indexes"]))
            t["indexes"]["by_e2e_marker"] = {
                "hash_key": {"name": "e2e_marker", "type": "S"},
                "projection": "keys_only",
                "read_share": 0.01,
            }
            save(p, out)
            print(key, p["name"] + "-" + t.get("table_name", key.replace("_", "-")), existing)
            return 0
    return 3


def unprotect(src, out):
    p = load(src)
    p.setdefault("defaults", {})["deletion_protection"] = False
    for t in p["tables"].values():
        t.pop("deletion_protection", None)
    save(p, out)
    return 0


def clients(endpoint, region):
    kw = dict(region_name=region, endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
    return boto3.client("dynamodb", **kw), boto3.client("application-autoscaling", **kw)


def drift(endpoint, region):
    ddb, aas = clients(endpoint, region)
    targets = aas.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"]
    want = {}  # table -> {index or None -> {dim: units}}
    for t in targets:
        parts = t["ResourceId"].split("/")
        table, index = parts[1], parts[3] if len(parts) > 3 else None
        dim = "ReadCapacityUnits" if "Read" in t["ScalableDimension"] else "WriteCapacityUnits"
        want.setdefault(table, {}).setdefault(index, {})[dim] = t["MaxCapacity"]
    changed = 0
    for table, parts in want.items():
        for index, units in parts.items():
            if len(units) < 2:
                continue
            if index is None:
                ddb.update_table(TableName=table, ProvisionedThroughput=units)
            else:
                ddb.update_table(
                    TableName=table,
                    GlobalSecondaryIndexUpdates=[{"Update": {"IndexName": index, "ProvisionedThroughput": units}}],
                )
            changed += 1
    print(changed)
    return 0 if changed else 1


def index(endpoint, region, table, name):
    ddb, _ = clients(endpoint, region)
    for ix in ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", []):
        if ix["IndexName"] == name:
            t = ix["ProvisionedThroughput"]
            print(t["ReadCapacityUnits"], t["WriteCapacityUnits"])
            return 0
    return 1


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit({"add-index": add_index, "unprotect": unprotect, "drift": drift, "index": index}[cmd](*args))
