# OpenBao for deploy/compose.yaml: keys on the `keys` volume, the API on the stack's network.
# Initialise and unseal it once by hand (docs/operations.md, "Compose"); it seals again on
# every restart until unsealed, and Dangan's /readyz says so meanwhile.
storage "file" {
  path = "/openbao/file"
}
listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true  # not published outside the compose network; put TLS in front otherwise
}
api_addr = "http://openbao:8200"
ui       = false
