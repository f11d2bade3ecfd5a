provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "src" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

module "replica" {
  source = "./modules/replica"
  for_each = toset(["eu"])
  name     = "acme-logs-replica-${each.key}"
}

# A registry module that was never installed (`terraform init`): only the plan knows it.
module "archive" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  bucket  = "acme-logs-archive"
}
