provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

provider "aws" {
  alias               = "replica"
  region              = "us-west-2"
  allowed_account_ids = ["222222222222"]
}

# Given in prod.tfvars when the plan was made; unknown to the sources alone.
variable "replica_versioning" {
  type = string
}

resource "aws_s3_bucket" "src" {
  bucket = "acme-orders"
}

resource "aws_s3_bucket_versioning" "src" {
  bucket = aws_s3_bucket.src.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "dst" {
  provider = aws.replica
  bucket   = "acme-orders-replica"
}

resource "aws_s3_bucket_versioning" "dst" {
  provider = aws.replica
  bucket   = aws_s3_bucket.dst.id
  versioning_configuration {
    status = var.replica_versioning
  }
}

resource "aws_iam_role" "replication" {
  name = "acme-orders-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "replication" {
  name = "replication"
  role = aws_iam_role.replication.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = aws_s3_bucket.src.arn
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        Resource = "${aws_s3_bucket.src.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
        Resource = "${aws_s3_bucket.dst.arn}/*"
      },
    ]
  })
}

# The replica account must let the role replicate objects into its bucket: this policy forgot
# s3:ReplicateObject.
resource "aws_s3_bucket_policy" "dst" {
  provider = aws.replica
  bucket   = aws_s3_bucket.dst.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromOrders"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.replication.arn }
      Action    = ["s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
      Resource  = "${aws_s3_bucket.dst.arn}/*"
    }]
  })
}

resource "aws_s3_bucket_replication_configuration" "orders" {
  depends_on = [aws_s3_bucket_versioning.src, aws_s3_bucket_versioning.dst]

  bucket = aws_s3_bucket.src.id
  role   = aws_iam_role.replication.arn

  rule {
    id     = "everything"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    destination {
      bucket  = aws_s3_bucket.dst.arn
      account = "222222222222"
      access_control_translation {
        owner = "Destination"
      }
    }
  }
}
