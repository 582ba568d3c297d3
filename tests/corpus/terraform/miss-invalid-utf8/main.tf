resource "aws_dynamodb_table" "t" {
  name = "café"
}
