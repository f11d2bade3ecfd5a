provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111111111111"]
}

resource "aws_s3_bucket" "a" {
  bucket = "example-a-bucket"
}

resource "aws_s3_bucket_versioning" "a" {
  bucket = aws_s3_bucket.a.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "example-b-bucket"
}

resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "c" {
  bucket = "example-c-bucket"
}

resource "aws_s3_bucket_versioning" "c" {
  bucket = aws_s3_bucket.c.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_iam_role" "a" {
  name = "a-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "a" {
  role = aws_iam_role.a.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = [aws_s3_bucket.a.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        Resource = ["${aws_s3_bucket.a.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
        Resource = ["${aws_s3_bucket.b.arn}/*"]
      }
    ]
  })
}

resource "aws_iam_role" "b" {
  name = "b-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "b" {
  role = aws_iam_role.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = [aws_s3_bucket.b.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        Resource = ["${aws_s3_bucket.b.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
        Resource = ["${aws_s3_bucket.c.arn}/*"]
      }
    ]
  })
}

resource "aws_s3_bucket_replication_configuration" "a" {
  depends_on = [aws_s3_bucket_versioning.a]
  bucket     = aws_s3_bucket.a.id
  role       = aws_iam_role.a.arn

  rule {
    id     = "a-to-b"
    status = "Enabled"
    priority = 1
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = aws_s3_bucket.b.arn
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "b" {
  depends_on = [aws_s3_bucket_versioning.b]
  bucket     = aws_s3_bucket.b.id
  role       = aws_iam_role.b.arn

  rule {
    id     = "b-to-c"
    status = "Enabled"
    priority = 1
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = aws_s3_bucket.c.arn
    }
  }
}
