# bash completion for migparse(1)                         -*- shell-script -*-

# App labels: the directories that hold a migrations/ folder, here and one
# level down (a project's top directory, or the directory above it).
_migparse_labels()
{
	local d
	for d in */migrations/ */*/migrations/; do
		[[ -d $d ]] || continue
		d=${d%/migrations/}
		printf '%s\n' "${d##*/}"
	done
}

_migparse()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	local IFS=$'\n'

	COMPREPLY=()
	case $prev in
	-a)
		COMPREPLY=($(compgen -W "$(_migparse_labels)" -- "$cur"))
		return
		;;
	-n|-D)
		# a migration name, NAME=VALUE: nothing to offer
		return
		;;
	-F)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-m)
		COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.map' -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W $'-D\n-F\n-a\n-m\n-n\n-h\n-V\n--help\n--version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.py' -- "$cur"))
}

complete -o filenames -o default -F _migparse migparse
