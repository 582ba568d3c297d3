"""moto's server, with the smallest additions the AWS provider needs to apply capform's modules.

moto (PyPI `moto[server]`) emulates DynamoDB, Application Auto Scaling, CloudWatch, SNS and KMS
on 127.0.0.1. It lacks exactly these, which this shim adds before the server starts:

- Application Auto Scaling `TagResource`, `UntagResource` and `ListTagsForResource` (the
  provider lists a scalable target's tags after every change and retries for minutes on an
  unknown action), and the `Tags` of `RegisterScalableTarget`;
- DynamoDB's `TableClassSummary` in `DescribeTable` (moto drops `TableClass`, so every plan
  would want to change `table_class` back).

Nothing else is changed. Usage: python3 moto_shim.py PORT
"""

import json
import sys

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler
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


def _remember(handler):
    if "TableClass" in handler.body:
        key = (handler.current_account, handler.region, handler.body["TableName"])
        CLASSES[key] = handler.body["TableClass"]


def create_table(self):
    _remember(self)
    return _create(self)


def update_table(self):
    _remember(self)
    return _update(self)


def describe(self, base_key="TableDescription"):
    out = _describe(self, base_key)
    cls = CLASSES.get((self.account_id, self.region_name, self.name), "STANDARD")
    out[base_key]["TableClassSummary"] = {"TableClass": cls}
    return out


DynamoHandler.create_table = create_table
DynamoHandler.update_table = update_table
Table.describe = describe

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
