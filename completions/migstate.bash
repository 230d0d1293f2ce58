# bash completion for migstate(1)                         -*- shell-script -*-

# App labels: the directories that hold a migrations/ folder, here and one
# level down (a project's top directory, or the directory above it).
_migstate_labels()
{
	local d
	for d in */migrations/ */*/migrations/; do
		[[ -d $d ]] || continue
		d=${d%/migrations/}
		printf '%s\n' "${d##*/}"
	done
}

# The migration names of app $1, found as _migstate_labels finds the app.
_migstate_names()
{
	local f n
	for f in "$1"/migrations/*.py */"$1"/migrations/*.py; do
		[[ -f $f ]] || continue
		n=${f##*/}
		n=${n%.py}
		[[ $n == __init__ ]] || printf '%s\n' "$n"
	done
}

_migstate()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD-1]}
	local IFS=$'\n' w i one=0 skip=0
	local -a operands=()

	COMPREPLY=()
	# after the = of -s NAME=VALUE, -d NAME=VALUE or -M CLASS=TARGET (bash
	# splits words at =): nothing to offer
	[[ $prev == = || $cur == = ]] && return
	# an option that takes an argument, alone or after flags (-1A)
	if [[ $prev =~ ^-[1bglqS]*([AdiMmsx])$ ]]; then
		case ${BASH_REMATCH[1]} in
		A | i | m)
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
			;;
		s)
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -W $'AUTH_USER_MODEL=\nDEFAULT_AUTO_FIELD=' -- "$cur"))
			;;
		x)
			COMPREPLY=($(compgen -W "$(_migstate_labels)" -- "$cur"))
			;;
		esac
		# -M CLASS=TARGET, -d NAME=VALUE: nothing to offer
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W $'-1\n-A\n-b\n-d\n-g\n-i\n-l\n-M\n-m\n-q\n-S\n-s\n-x\n-h\n-V\n--help\n--version' -- "$cur"))
		return
	fi
	# The operands before the word: words that are not options or their
	# arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
		elif [[ $w == = ]]; then
			skip=1	# the value after NAME=
		elif [[ $w =~ ^-[1bglqS]*[AdiMmsx]$ ]]; then
			skip=1
		elif [[ $w == -* ]]; then
			[[ $w =~ ^-[blS]*1 ]] && one=1
		else
			operands+=("$w")
		fi
	done
	case ${#operands[@]} in
	0)
		COMPREPLY=($(compgen -W "$(_migstate_labels)" -- "$cur"))
		;;
	1)
		w=$(_migstate_names "${operands[0]}")
		((one)) || w+=$'\nzero'
		COMPREPLY=($(compgen -W "$w" -- "$cur"))
		;;
	esac
}

complete -F _migstate migstate
