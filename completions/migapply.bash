# bash completion for migapply(1)                         -*- shell-script -*-

# The services of the connection service file, as conninfo strings.
_migapply_services()
{
	local f=${PGSERVICEFILE:-$HOME/.pg_service.conf} line
	[[ -r $f ]] || return
	while IFS= read -r line; do
		[[ $line =~ ^\[([^]]+)\] ]] && printf 'service=%s\n' "${BASH_REMATCH[1]}"
	done <"$f"
}

_migapply()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	local IFS=$'\n'

	COMPREPLY=()
	case $prev in
	-L | -S | -T)
		COMPREPLY=($(compgen -W $'500ms\n1s\n2s\n5s\n30s\n1min' -- "$cur"))
		return
		;;
	-r)
		COMPREPLY=($(compgen -W $'0\n3\n5\n10' -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W $'-C\n-c\n-f\n-L\n-l\n-n\n-P\n-q\n-r\n-S\n-T\n-v\n-w\n-h\n-V\n--help\n--version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$(_migapply_services)"$'\npostgresql://' -- "$cur"))
}

complete -o nospace -F _migapply migapply
