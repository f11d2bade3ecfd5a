provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "src" {
  bucket = "example-src-bucket"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

provider "aws" {
  alias               = "frankfurt"
  region              = "eu-central-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "dst" {
  provider = aws.frankfurt
  bucket   = "example-dst-bucket"
}

resource "aws_s3_bucket_versioning" "dst" {
  provider = aws.frankfurt
  bucket   = aws_s3_bucket.dst.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_organizations_policy" "regions" {
  name = "approved-regions"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyOtherRegions"
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:*", "organizations:*"]
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "regions" {
  policy_id = aws_organizations_policy.regions.id
  target_id = "111111111111"
}

resource "aws_iam_role" "repl" {
  name = "repl-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "repl" {
  role = aws_iam_role.repl.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = [aws_s3_bucket.src.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        Resource = ["${aws_s3_bucket.src.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
        Resource = ["${aws_s3_bucket.dst.arn}/*"]
      }
    ]
  })
}

resource "aws_s3_bucket_replication_configuration" "src" {
  depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]
  bucket     = aws_s3_bucket.src.id
  role       = aws_iam_role.repl.arn

  rule {
    id     = "all"
    status = "Enabled"
    priority = 1
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = aws_s3_bucket.dst.arn
    }
  }
}
