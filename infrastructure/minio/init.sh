#!/bin/sh
# Prepares MinIO for the pipeline as its root user, then exits: the compose service minio-init runs it once MinIO is
# healthy. Creates the buckets, a policy that allows reading, writing, listing and deleting objects in those buckets
# and nothing else, and the application user with that policy, whose keys the steps and MLflow sign in with: the root
# keys stay in this container. Run again, it changes nothing but the user's password, set to the one given.
#
#   MINIO_ROOT_USER, MINIO_ROOT_PASSWORD       the root user
#   MINIO_APP_USER, MINIO_APP_PASSWORD         the application user
#   NIDS_COLD_BUCKET, NIDS_ARCHIVE_BUCKET, MLFLOW_BUCKET
#   MINIO_URL                                  MinIO's API (http://minio:9000)
set -eu

mc alias set local "${MINIO_URL:-http://minio:9000}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
buckets="$NIDS_COLD_BUCKET $NIDS_ARCHIVE_BUCKET $MLFLOW_BUCKET"
for bucket in $buckets; do
  mc mb --ignore-existing "local/$bucket"
done

# The buckets' ARNs, then their objects', as JSON lists.
arns() {
  suffix="$1" list=""
  for bucket in $buckets; do
    list="$list${list:+, }\"arn:aws:s3:::$bucket$suffix\""
  done
  echo "[$list]"
}
policy=/tmp/gnn-nids-app-policy.json
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": $(arns "")},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts"],
     "Resource": $(arns "/*")}
  ]
}
JSON
mc admin policy create local gnn-nids-app "$policy"
# Adds the user, or sets the password of the one there.
mc admin user add local "$MINIO_APP_USER" "$MINIO_APP_PASSWORD"
# Attaching a policy already attached succeeds (mc since 2024-10).
mc admin policy attach local gnn-nids-app --user "$MINIO_APP_USER"
