# The OpenBao/Vault policy for Dangan's token (DANGAN_KMS_TOKEN), Transit mounted at `transit`.
# Dangan creates one derived key per customer, wraps, unwraps, rotates and rewraps data keys.
# It gets no `create` on encrypt: Transit would otherwise make a key on first use, and keys are
# made only by Dangan's explicit create call. It cannot delete or export keys.
path "transit/keys/customer-*" {
  capabilities = ["create", "update", "read"]
}

path "transit/keys/customer-*/rotate" {
  capabilities = ["update"]
}

path "transit/encrypt/customer-*" {
  capabilities = ["update"]
}

path "transit/decrypt/customer-*" {
  capabilities = ["update"]
}

path "transit/rewrap/customer-*" {
  capabilities = ["update"]
}
