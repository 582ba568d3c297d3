module "orders" {
  source = "./modules/table"
  name   = "orders"
}
