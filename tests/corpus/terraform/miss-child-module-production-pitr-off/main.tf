module "sessions" {
  source       = "./modules/table"
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  tags         = { Environment = "production" }
}
