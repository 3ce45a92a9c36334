"""Authentication and authorisation: OIDC bearer tokens in, a `Medewerker` with BFF roles out.

identity    Medewerker, Role, current_medewerker, require_role, can_read_vertrouwelijk
oidc        OidcVerifier: JWKS cache, token verification, claims -> Medewerker
middleware  AuthMiddleware: every /api/v1 request carries a valid token and the base role
"""
