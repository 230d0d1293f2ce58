#!/usr/bin/env bats
# The layout of lib/ (scripts/layers): one folder per stage, includes and
# calls flowing one way, from higher folders to lower ones, and inside the
# renderer from the dispatcher down to the statement sink.

load helper

# The objects the tools were built from: beside MIGTOOLS_BIN (build/asan
# under `make check`), else build/.
objdir() {
	local bin=${MIGTOOLS_BIN:-}
	if [ -n "$bin" ] && [ -d "$TOP/$bin/lib" ]; then
		echo "$TOP/$bin"
	elif [ -n "$bin" ] && [ -d "$bin/lib" ]; then
		echo "$bin"
	else
		echo "$TOP/build"
	fi
}

# copy: the sources into $T/tree, to break them there.
copy() {
	mkdir -p "$T/tree"
	cp -R lib cmd tests "$T/tree/"
}

@test "layers: this checkout's includes and calls flow one way" {
	[ -d "$(objdir)/lib" ] || skip "no objects built"
	run bash scripts/layers -o "$(objdir)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "layers: an include from a lower folder to a higher one fails" {
	copy
	sed -i '1i #include "state/state.h"' "$T/tree/lib/python/pyparse.c"
	run bash scripts/layers "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *"lib/python/pyparse.c:1: lib/python includes lib/state, which is not below it"* ]]
}

@test "layers: a folder's own header used from outside it fails" {
	copy
	sed -i '1i #include "sql/sqlint.h"' "$T/tree/lib/state/fold.c"
	sed -i '1i #include "pg/pgint.h"' "$T/tree/cmd/migapply.c"
	run bash scripts/layers "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *'lib/state/fold.c:1: "sql/sqlint.h" is inside lib/sql; use "sql/sql.h"'* ]]
	[[ $output == *'cmd/migapply.c:1: "pg/pgint.h" is inside lib/pg; use "pg/pg.h"'* ]]
}

@test "layers: a folder including itself through its public name, or a header of another folder by bare name, fails" {
	copy
	sed -i '1i #include "graph/graph.h"' "$T/tree/lib/graph/migset.c"
	sed -i '1i #include "sql.h"' "$T/tree/lib/pg/apply.c"
	run bash scripts/layers "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *"lib/graph/migset.c:1: lib/graph includes lib/graph, which is not below it"* ]]
	[[ $output == *'lib/pg/apply.c:1: "sql.h" is no header of its folder'* ]]
}

@test "layers: a module outside the folders, or a folder not in the order, fails" {
	copy
	printf 'int x;\n' >"$T/tree/lib/loose.c"
	mkdir "$T/tree/lib/extra"
	run bash scripts/layers "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *"lib/loose.c: a module outside the folders of lib/"* ]]
	[[ $output == *"lib/extra: a folder not in the layer order"* ]]
}

@test "layers: a call upwards inside the renderer fails (the sink calling the dispatcher)" {
	need_cmd cc
	[ -d "$(objdir)/lib" ] || skip "no objects built"
	copy
	mkdir -p "$T/obj"
	cp -R "$(objdir)/lib" "$T/obj/"
	# sink.c made to call render_op, which render.c (the top) defines
	printf '%s\n' '#include "sqlint.h"' \
		'int sink_probe(struct opctx *c) { return render_op(c); }' \
		>"$T/tree/lib/sql/sinkprobe.c"
	cc -c -Ilib -I"$T/tree/lib" -o "$T/obj/lib/sql/sink.o" \
		"$T/tree/lib/sql/sinkprobe.c"
	run bash scripts/layers -o "$T/obj" "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *"lib/sql/sink.c: calls render_op of lib/sql/render.c, which is not below it in the renderer"* ]]
}

@test "layers: a call from a lower folder to a higher one fails" {
	need_cmd cc
	[ -d "$(objdir)/lib" ] || skip "no objects built"
	copy
	mkdir -p "$T/obj"
	cp -R "$(objdir)/lib" "$T/obj/"
	printf '%s\n' 'int fold_probe(void);' 'int render_op(void);' \
		'int fold_probe(void) { return render_op(); }' >"$T/probe.c"
	# the stream's migration.o made to call the renderer
	cc -c -o "$T/obj/lib/stream/migration.o" "$T/probe.c"
	run bash scripts/layers -o "$T/obj" "$T/tree"
	[ "$status" -eq 1 ]
	[[ $output == *"lib/stream/migration.c: calls render_op of lib/sql/render.c, a folder above it"* ]]
}
