module "orders" {
  source       = "./modules/table"
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
}
