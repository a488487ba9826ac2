"""Prints an access token for Flowhost's REST API from the sandbox identity provider, got as a
client gets one: the authorization request, the user picked on the account picker, the code
redeemed at the token endpoint. For the API checks of `cargo xtask test`.

Usage: api_token.py SANDBOX_URL FLOWHOST_URL UPN
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request

CLIENT_ID = "f10a0057-0000-4000-8000-00000000f10a"
CLIENT_SECRET = "sandbox-client-secret"
SCOPE = f"openid api://{CLIENT_ID}/Tickets.ReadWrite"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(sandbox: str, flowhost: str, upn: str) -> None:
    redirect_uri = f"{flowhost}/auth/callback"
    params = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "nonce": "api-checks",
        "state": "api-checks",
        "response_mode": "query",
    }
    authorize = f"{sandbox}/organizations/oauth2/v2.0/authorize"
    form = urllib.parse.urlencode({**params, "upn": upn}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(authorize, data=form))
        sys.exit("the account picker did not redirect")
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    if "code" not in query:
        sys.exit(f"no code: {location}")
    token_request = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": SCOPE,
        }
    ).encode()
    token_url = f"{sandbox}/organizations/oauth2/v2.0/token"
    with urllib.request.urlopen(token_url, data=token_request) as answer:
        print(json.load(answer)["access_token"])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
