billing_mode = "PAY_PER_REQUEST"
