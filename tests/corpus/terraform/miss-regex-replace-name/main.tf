variable "service" {
  default = "Billing Service"
}

resource "aws_dynamodb_table" "this" {
  name         = replace(lower(var.service), "/[^a-z0-9]+/", "-")
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
