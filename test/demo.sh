#!/usr/bin/env bash
# test/demo.sh: the engagement demo.
#
#   bash test/demo.sh [--customers N] [--seed S]
#
# Installs what is missing (Debian bookworm, PostgreSQL 15), builds the
# extension, starts a throw-away cluster, generates a realistic CRM data set
# (default 50,000 customers, about 1 million touches) and prints the
# engagement dashboard.  Works as root and as a normal user.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

eng_install_deps "${ENG_BASE_PACKAGES[@]}"
eng_drop_root demo.sh "$@"

eng_build
eng_virtualenv bash "$ENG_ROOT/test/demo_run.sh" "$@"
