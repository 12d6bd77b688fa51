#!/bin/sh
# Run by cgi-bin/sysinfo through popen: a report of the system, or one section ($1).
section=${1:-all}
case $section in
  all|uname) echo "== uname"; uname -a ;;
esac
case $section in
  all|uptime) echo "== uptime"; cat /proc/uptime 2>/dev/null || echo "(no /proc/uptime)" ;;
esac
case $section in
  all|disk) echo "== disk"; df -h / 2>/dev/null || echo "(no df)" ;;
esac
case $section in
  all|uname|uptime|disk) ;;
  *) echo "unknown section: $section" >&2; exit 2 ;;
esac
