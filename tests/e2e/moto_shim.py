"""moto's server, with the smallest additions the AWS provider needs to apply capform's modules.

moto (PyPI `moto[server]`) emulates DynamoDB, Application Auto Scaling, CloudWatch, SNS and KMS
on 127.0.0.1. It lacks exactly these, which this shim adds before the server starts:

- Application Auto Scaling `TagResource`, `UntagResource` and `ListTagsForResource` (the
  provider lists a scalable target's tags after every change and retries for minutes on an
  unknown action), and the `Tags` of `RegisterScalableTarget`;
- DynamoDB's `TableClassSummary` in `DescribeTable` (moto drops `TableClass`, so every plan
  would want to change `table_class` back), and likewise the `OnDemandThroughput` of tables and
  global secondary indexes (moto drops it, so every plan would want to set it again);
- global tables: `UpdateTable` with `ReplicaUpdates` (Create, Delete), which moto ignores. A
  created replica is a copy of the table's key schema, indexes, throughput and stream in the
  replica region, ACTIVE at once, and listed in `Replicas` of the table's `DescribeTable`. Data
  is not replicated (nothing in the modules' checks writes items).

Nothing else is changed. Usage: python3 moto_shim.py PORT
"""

import json
import sys

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.server import main

# --- Application Auto Scaling tags: ARN -> {key: value} ---------------------------------------
TAGS: dict[str, dict[str, str]] = {}


def tag_resource(self):
    TAGS.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def untag_resource(self):
    tags = TAGS.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


def list_tags_for_resource(self):
    return json.dumps({"Tags": TAGS.get(self._get_param("ResourceARN"), {})})


_register = ApplicationAutoScalingResponse.register_scalable_target


def register_scalable_target(self):
    out = _register(self)
    tags = self._get_param("Tags")
    if tags:
        TAGS.setdefault(json.loads(out)["ScalableTargetARN"], {}).update(tags)
    return out


ApplicationAutoScalingResponse.tag_resource = tag_resource
ApplicationAutoScalingResponse.untag_resource = untag_resource
ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target

# --- DynamoDB table class: (account, region, table) -> class ----------------------------------
CLASSES: dict[tuple[str, str, str], str] = {}
_create, _update, _describe = DynamoHandler.create_table, DynamoHandler.update_table, Table.describe


# --- DynamoDB on-demand maximums: (account, region, table) -> table's and each index's ------
ON_DEMAND: dict[tuple[str, str, str], dict] = {}


def _remember(handler):
    key = (handler.current_account, handler.region, handler.body["TableName"])
    if "TableClass" in handler.body:
        CLASSES[key] = handler.body["TableClass"]
    od = ON_DEMAND.setdefault(key, {"table": None, "indexes": {}})
    if "OnDemandThroughput" in handler.body:
        od["table"] = handler.body["OnDemandThroughput"]
    for g in handler.body.get("GlobalSecondaryIndexes") or []:
        if "OnDemandThroughput" in g:
            od["indexes"][g["IndexName"]] = g["OnDemandThroughput"]
    for update in handler.body.get("GlobalSecondaryIndexUpdates") or []:
        for op in ("Create", "Update"):
            if "OnDemandThroughput" in update.get(op, {}):
                od["indexes"][update[op]["IndexName"]] = update[op]["OnDemandThroughput"]


def create_table(self):
    _remember(self)
    return _create(self)


# --- DynamoDB global tables: (account, region, table) -> [replica description] -----------------
REPLICAS: dict[tuple[str, str, str], list[dict]] = {}


def _copy_to(table, region):
    """The table's schema, indexes, throughput and stream, created in `region`."""
    d = _describe(table)["TableDescription"]
    throughput = d.get("ProvisionedThroughput") or {}
    billing = (d.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    keep = ("ReadCapacityUnits", "WriteCapacityUnits")
    gsis = []
    for g in d.get("GlobalSecondaryIndexes") or []:
        gsi = {k: g[k] for k in ("IndexName", "KeySchema", "Projection") if k in g}
        if billing == "PROVISIONED" and "ProvisionedThroughput" in g:
            gsi["ProvisionedThroughput"] = {k: g["ProvisionedThroughput"][k] for k in keep}
        gsis.append(gsi)
    lsis = [
        {k: x[k] for k in ("IndexName", "KeySchema", "Projection") if k in x}
        for x in d.get("LocalSecondaryIndexes") or []
    ]
    dynamodb_backends[table.account_id][region].create_table(
        table.name,
        schema=d["KeySchema"],
        throughput={k: throughput[k] for k in keep if k in throughput} if billing == "PROVISIONED" else None,
        attr=d["AttributeDefinitions"],
        global_indexes=gsis,
        indexes=lsis,
        streams=d.get("StreamSpecification"),
        billing_mode=billing,
        sse_specification=None,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
    )


def _replica_updates(handler):
    key = (handler.current_account, handler.region, handler.body["TableName"])
    table = handler.dynamodb_backend.get_table(key[2])
    replicas = REPLICAS.setdefault(key, [])
    for update in handler.body["ReplicaUpdates"]:
        if "Create" in update:
            create = update["Create"]
            region = create["RegionName"]
            _copy_to(table, region)
            replica = {"RegionName": region, "ReplicaStatus": "ACTIVE"}
            if create.get("KMSMasterKeyId"):
                replica["KMSMasterKeyId"] = create["KMSMasterKeyId"]
            replicas.append(replica)
        if "Delete" in update:
            region = update["Delete"]["RegionName"]
            replicas[:] = [r for r in replicas if r["RegionName"] != region]
            backend = dynamodb_backends[table.account_id][region]
            if table.name in backend.tables:
                backend.tables[table.name].deletion_protection_enabled = False
                backend.delete_table(table.name)
    return DynamoResult(table.describe())


def update_table(self):
    _remember(self)
    if self.body.get("ReplicaUpdates"):
        return _replica_updates(self)
    return _update(self)


def describe(self, base_key="TableDescription"):
    out = _describe(self, base_key)
    cls = CLASSES.get((self.account_id, self.region_name, self.name), "STANDARD")
    out[base_key]["TableClassSummary"] = {"TableClass": cls}
    od = ON_DEMAND.get((self.account_id, self.region_name, self.name))
    if od and od["table"]:
        out[base_key]["OnDemandThroughput"] = dict(od["table"])
    for g in out[base_key].get("GlobalSecondaryIndexes") or []:
        if od and g.get("IndexName") in od["indexes"]:
            g["OnDemandThroughput"] = dict(od["indexes"][g["IndexName"]])
    replicas = REPLICAS.get((self.account_id, self.region_name, self.name))
    if replicas:
        out[base_key]["Replicas"] = [dict(r) for r in replicas]
        out[base_key]["GlobalTableVersion"] = "2019.11.21"
    return out


DynamoHandler.create_table = create_table
DynamoHandler.update_table = update_table
Table.describe = describe

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
