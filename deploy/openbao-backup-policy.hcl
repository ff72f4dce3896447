# The OpenBao/Vault policy of the operator who backs up and restores Dangan's Transit keys
# (docs/operations.md), never given to Dangan itself. It can list the keys, mark them
# exportable with plaintext backup allowed (irreversible), take a key's backup and restore one.
# A key's backup is its key material in the clear: whoever holds this token, or a backup, can
# decrypt every data key that key wrapped.
path "transit/keys" {
  capabilities = ["list"]
}

path "transit/keys/customer-*" {
  capabilities = ["update"]
}

path "transit/backup/customer-*" {
  capabilities = ["read"]
}

path "transit/restore/customer-*" {
  capabilities = ["update"]
}
