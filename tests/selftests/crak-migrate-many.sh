#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crak-migrate-many: crak-migrate-tcp.sh's case "many" alone: 1000 live
# TCP connections (CRAK_MIGRATE_MANY sets how many) move to another
# namespace with the server's address and MAC while the peer streams on
# each of them both ways; every byte once, in order, no reset at the peer.
# A script of its own so that make check can run it beside the others.

CRAK_MIGRATE_CASES=many
source "$(dirname "$0")/crak-migrate-tcp.sh"
