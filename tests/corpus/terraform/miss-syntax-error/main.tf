resource "aws_dynamodb_table" "ok" {
  name         = "fine"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table" "broken" {
  name = "x"
