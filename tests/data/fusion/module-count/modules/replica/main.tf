variable "name" {
  type = string
}

variable "enabled" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "this" {
  count  = var.enabled ? 1 : 0
  bucket = var.name
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.enabled ? 1 : 0
  bucket = aws_s3_bucket.this[0].id
  versioning_configuration {
    status = "Enabled"
  }
}
