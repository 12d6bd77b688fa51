#!/bin/sh
# A shell-script CGI (RFC 3875): the server runs it with the meta-variables in the
# environment. Prints a few of them and the query string, split into fields.
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
echo "Hello from /bin/sh, $SERVER_SOFTWARE speaking $SERVER_PROTOCOL"
echo "method=$REQUEST_METHOD script=$SCRIPT_NAME path_info=$PATH_INFO"
echo "client=$REMOTE_ADDR:$REMOTE_PORT"
if [ -n "$QUERY_STRING" ]; then
  echo "query fields:"
  printf '%s\n' "$QUERY_STRING" | tr '&' '\n' | while read -r field; do
    echo "  $field"
  done
fi
