#!/usr/bin/env bats
# completions/: each file loads in its shell and offers what its tool
# takes (migparse: files and app labels; migapply: options, durations and
# the services of ~/.pg_service.conf; migstate: options, files, app
# labels and migration names; migsql: -p and files).

load helper

# A directory with a project in it, to complete in.
make_project() {
	mkdir -p "$T/shop/catalog/migrations" "$T/shop/orders/migrations"
	touch "$T/shop/catalog/migrations/0001_initial.py" "$T/a.py" "$T/b.txt"
}

# bash_complete WORD...: the candidates bash offers for the last WORD of
# the command line WORD... (the first names the tool), in the C locale's
# order.
bash_complete() {
	env HOME="$T" bash -c 'source "$1/completions/$2.bash" || exit 1; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
		"_$1"; printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' _ "$TOP" "$@"
}

@test "bash: the completion loads and is registered for migparse" {
	run bash -c "source completions/migparse.bash && complete -p migparse"
	[ "$status" -eq 0 ]
	[[ $output == *"-F _migparse migparse"* ]]
}

@test "bash: a dash offers -D, -F, -a, -m, -n and the help and version" {
	run bash_complete migparse -
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -D -F -V -a -h -m -n" ]
}

@test "bash: -F offers directories, -m directories and .map files" {
	make_project
	touch "$T/shop.map"
	cd "$T"
	run bash_complete migparse -F ''
	[ "$output" = shop ]
	run bash_complete migparse -m ''
	[ "$output" = $'shop\nshop.map' ]
}

@test "bash: files are .py files and directories" {
	make_project
	cd "$T"
	run bash_complete migparse ''
	[ "$status" -eq 0 ]
	[ "$output" = $'a.py\nshop' ]
	run bash_complete migparse shop/catalog/migrations/
	[ "$output" = shop/catalog/migrations/0001_initial.py ]
}

@test "bash: -a offers the app labels below" {
	make_project
	cd "$T/shop"
	run bash_complete migparse -a ''
	[ "$output" = $'catalog\norders' ]
	cd "$T"
	run bash_complete migparse -a o
	[ "$output" = orders ]
}

@test "zsh: the completions parse and compinit registers them" {
	need_cmd zsh
	local tool
	for tool in migparse migapply migstate migsql; do
		run zsh -n "completions/_$tool"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
		run env HOME="$T" zsh -fc 'fpath=("$1" $fpath)
			autoload -Uz compinit && compinit -u -d "$2/zcompdump"
			print -r -- $_comps[$3]' _ "$TOP/completions" "$T" "$tool"
		[ "$status" -eq 0 ]
		[ "$output" = "_$tool" ]
	done
}

# fish_complete LINE: what fish offers for the command line LINE, with
# the completion of LINE's first word.
fish_complete() {
	env HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.local" \
		fish --no-config -c 'source $argv[1]; or exit 1
			complete -C$argv[2]' "$TOP/completions/${1%% *}.fish" "$1"
}

@test "fish: the completion loads and offers -a, -n, labels and .py files" {
	need_cmd fish
	make_project
	cd "$T"
	run fish_complete 'migparse -'
	[ "$status" -eq 0 ]
	[[ $output == *"-a"$'\t'"App label"* ]]
	[[ $output == *"-n"$'\t'"Migration name"* ]]
	[[ $output == *"-D"$'\t'"Value of a name"* ]]
	[[ $output == *"-F"$'\t'"Directory of migrations"* ]]
	[[ $output == *"-m"$'\t'"Map file"* ]]
	run fish_complete 'migparse -a '
	[[ ${lines[0]} == catalog$'\t'* ]]
	[[ ${lines[1]} == orders$'\t'* ]]
	[ ${#lines[@]} -eq 2 ]
	# fish's own way: .py files first, then directories, then the rest
	run fish_complete 'migparse '
	[ "${lines[0]}" = a.py ]
	[ "${lines[1]}" = shop/ ]
}

# --- migapply ------------------------------------------------------------

# A home with a connection service file of two services.
make_home() {
	printf '# services\n[shop]\nhost=db\ndbname=shop\n\n[billing]\ndbname=b\n' \
		>"$T/.pg_service.conf"
}

@test "migapply, bash: the completion loads and is registered for migapply" {
	run bash -c "source completions/migapply.bash && complete -p migapply"
	[ "$status" -eq 0 ]
	[[ $output == *"-F _migapply migapply"* ]]
}

@test "migapply, bash: a dash offers every option" {
	run bash_complete migapply -
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -C -L -P -S -T -V -c -f -h -l -n -q -r -v -w" ]
}

@test "migapply, bash: the operand is a service of ~/.pg_service.conf or a URI" {
	make_home
	run bash_complete migapply ''
	[ "$output" = $'postgresql://\nservice=billing\nservice=shop' ]
	run bash_complete migapply -P service=s
	[ "$output" = service=shop ]
	rm "$T/.pg_service.conf"
	run bash_complete migapply ''
	[ "$output" = postgresql:// ]
}

@test "migapply, bash: -L and -S offer durations, -r counts" {
	run bash_complete migapply -L ''
	[ "$(echo "$output" | paste -sd ' ')" = "1min 1s 2s 30s 500ms 5s" ]
	run bash_complete migapply -S 5
	[ "$(echo "$output" | paste -sd ' ')" = "500ms 5s" ]
	run bash_complete migapply -r ''
	[ "$(echo "$output" | paste -sd ' ')" = "0 10 3 5" ]
}

@test "migapply, fish: the completion loads and offers options, durations and services" {
	need_cmd fish
	make_home
	run fish_complete 'migapply -'
	[ "$status" -eq 0 ]
	[[ $output == *"-n"$'\t'"Dry run"* ]]
	[[ $output == *"-w"$'\t'"Wait for another migapply"* ]]
	[[ $output == *"-V"$'\t'"Print the version"* ]]
	[[ $output == *"--help"$'\t'"Print the help"* ]]
	[ "$(grep -c . <<<"$output")" = 17 ]
	run fish_complete 'migapply -L '
	[[ ${lines[0]} == 1min$'\t'* ]]
	[ ${#lines[@]} -eq 6 ]
	run fish_complete 'migapply '
	[ "${lines[0]}" = postgresql://$'\t'Connection ]
	[ "${lines[1]}" = service=billing$'\t'Connection ]
	[ "${lines[2]}" = service=shop$'\t'Connection ]
}

# --- migstate and migsql -------------------------------------------------

# A project whose catalog app has two migrations (and __init__.py), and
# a stream file beside it, to complete in: $T/shop.
make_migrations() {
	make_project
	touch "$T/shop/catalog/migrations/__init__.py" \
		"$T/shop/catalog/migrations/0002_price.py" "$T/shop/plan.stream"
	mkdir -p "$T/shop/orders/migrations"
	touch "$T/shop/orders/migrations/0001_initial.py"
}

# zsh_complete LINE: the candidates zsh's completion system offers for
# LINE, in the C locale's order: an interactive zsh in a pseudo-terminal,
# with completions/ on fpath and compadd wrapped to print what it adds.
zsh_complete() {
	cat >"$T/zcomplete.zsh" <<'END'
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "fpath=('$1/completions' \$fpath); autoload -Uz compinit; compinit -u -d \$HOME/zcompdump"
zpty -w z "PROMPT= RPROMPT=; bindkey '^I' complete-word"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a h; builtin compadd -A h \"\$@\"; (( \$#h )) || return 1; print -r -l -- \"<C\"\"AND>\"\$^h; builtin compadd \"\$@\"; }"
zpty -w z "comppostfuncs=( done_ ); done_() { print -r -- '<E''OC>'; exit }"
zpty -n -w z "$2"$'\t'
while zpty -r z line; do
	[[ $line == *'<EOC>'* ]] && break
	[[ $line == *'<CAND>'* ]] && print -r -- ${${line#*<CAND>}%%$'\r'*}
done
zpty -d z
END
	env HOME="$T" timeout 20 zsh -f "$T/zcomplete.zsh" "$TOP" "$1" |
		LC_ALL=C sort
}

@test "migstate and migsql, bash: the completions load and are registered" {
	local tool
	for tool in migstate migsql; do
		run bash -c "source completions/$tool.bash && complete -p $tool"
		[ "$status" -eq 0 ]
		[[ $output == *"-F _$tool $tool"* ]]
	done
}

@test "migstate, bash: a dash offers every option" {
	run bash_complete migstate -
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -1 -A -M -S -V -b -d -g -h -i -l -m -q -s -x" ]
}

@test "migstate, bash: the operands are an app label, then its migrations or zero" {
	make_migrations
	cd "$T/shop"
	run bash_complete migstate ''
	[ "$output" = $'catalog\norders' ]
	run bash_complete migstate c
	[ "$output" = catalog ]
	run bash_complete migstate catalog ''
	[ "$output" = $'0001_initial\n0002_price\nzero' ]
	run bash_complete migstate catalog 0002 ''
	[ "$output" = "" ]
	# from the directory above the project too
	cd "$T"
	run bash_complete migstate orders ''
	[ "$output" = $'0001_initial\nzero' ]
}

@test "migstate, bash: -1 takes no zero; option arguments are not operands" {
	make_migrations
	cd "$T/shop"
	run bash_complete migstate -1 catalog ''
	[ "$output" = $'0001_initial\n0002_price' ]
	run bash_complete migstate -1b -i plan.stream catalog 0
	[ "$output" = $'0001_initial\n0002_price' ]
	run bash_complete migstate -A plan.stream -x orders -M shop.Money = models.DecimalField catalog ''
	[ "$output" = $'0001_initial\n0002_price\nzero' ]
	# bash splits NAME=app.Model at the =
	run bash_complete migstate -s AUTH_USER_MODEL = accounts.User catalog 0001
	[ "$output" = 0001_initial ]
}

@test "migstate, bash: -A, -i and -m offer files, -x app labels, -s the user model" {
	make_migrations
	cd "$T/shop"
	run bash_complete migstate -i p
	[ "$output" = plan.stream ]
	run bash_complete migstate -1A pl
	[ "$output" = plan.stream ]
	run bash_complete migstate -m ''
	[ "$output" = $'catalog\norders\nplan.stream' ]
	run bash_complete migstate -x o
	[ "$output" = orders ]
	run bash_complete migstate -s ''
	[ "$output" = $'AUTH_USER_MODEL=\nDEFAULT_AUTO_FIELD=' ]
	run bash_complete migstate -d ''
	[ "$output" = "" ]
	run bash_complete migstate -s AUTH_USER_MODEL = ''
	[ "$output" = "" ]
	run bash_complete migstate -M ''
	[ "$output" = "" ]
}

@test "migsql, bash: a dash offers the options, anything else files" {
	run bash_complete migsql -
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -V -W -Werror -Z -h -p" ]
	make_migrations
	cd "$T/shop"
	run bash_complete migsql -p p
	[ "$output" = plan.stream ]
	run bash_complete migsql ''
	[ "$output" = $'catalog\norders\nplan.stream' ]
}

@test "migstate and migsql, zsh: options, app labels, migrations and files" {
	need_cmd zsh
	need_cmd timeout
	make_migrations
	cd "$T/shop"
	run zsh_complete 'migstate -'
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -1 -A -M -S -V -b -d -g -h -i -l -m -q -s -x" ]
	run zsh_complete 'migstate '
	[ "$output" = $'catalog\norders' ]
	run zsh_complete 'migstate catalog '
	[ "$output" = $'0001_initial\n0002_price\nzero' ]
	run zsh_complete 'migstate -1b -i plan.stream catalog '
	[ "$output" = $'0001_initial\n0002_price' ]
	run zsh_complete 'migstate -x o'
	[ "$output" = orders ]
	run zsh_complete 'migstate -s '
	[ "$(echo "$output" | paste -sd ' ')" = "AUTH_USER_MODEL= DEFAULT_AUTO_FIELD=" ]
	# -l takes no operands and excludes -1, -b and -S
	run zsh_complete 'migstate -l '
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -A -M -V -d -h -i -m -q -s -x" ]
	# and so does -g
	run zsh_complete 'migstate -g '
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -A -M -V -d -h -i -m -q -s -x" ]
	run zsh_complete 'migsql -'
	[ "$(echo "$output" | paste -sd ' ')" = "--help --version -V -W -Werror -Z -h -p" ]
	run zsh_complete 'migsql -p pl'
	[ "$output" = plan.stream ]
}

@test "migstate, fish: options, app labels, migrations and files" {
	need_cmd fish
	make_migrations
	cd "$T/shop"
	run fish_complete 'migstate -'
	[ "$status" -eq 0 ]
	[[ $output == *"-1"$'\t'"Only the migration APP NAME"* ]]
	[[ $output == *"-b"$'\t'"With -1: backwards"* ]]
	[[ $output == *"-g"$'\t'"Write the migration graph in Graphviz DOT"* ]]
	[[ $output == *"-q"$'\t'"No progress meter on a terminal"* ]]
	[ "$(grep -c . <<<"$output")" = 17 ]
	run fish_complete 'migstate '
	[ "$output" = $'catalog\tApp label\norders\tApp label' ]
	run fish_complete 'migstate catalog '
	[ "$(cut -f1 <<<"$output" | paste -sd ' ')" = "0001_initial 0002_price zero" ]
	run fish_complete 'migstate -1 -i plan.stream catalog '
	[ "$(cut -f1 <<<"$output" | paste -sd ' ')" = "0001_initial 0002_price" ]
	run fish_complete 'migstate catalog 0001_initial '
	[ "$output" = "" ]
	run fish_complete 'migstate -i pl'
	[ "$output" = plan.stream ]
	run fish_complete 'migstate -x o'
	[[ $output == orders$'\t'* ]]
	run fish_complete 'migstate -s '
	[[ $output == AUTH_USER_MODEL=$'\t'* ]]
}

@test "migsql, fish: the completion loads and offers -p and files" {
	need_cmd fish
	make_migrations
	cd "$T/shop"
	run fish_complete 'migsql -'
	[ "$status" -eq 0 ]
	[[ $output == *-p$'\t'"Plain SQL, as sqlmigrate prints it"* ]]
	[[ $output == *-Werror$'\t'"Warn, and fail on a warning"* ]]
	[ "$(grep -c . <<<"$output")" = 8 ]
	run fish_complete 'migsql -p pl'
	[ "$output" = plan.stream ]
}
