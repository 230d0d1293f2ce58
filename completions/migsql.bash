# bash completion for migsql(1)                           -*- shell-script -*-

_migsql()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local IFS=$'\n'

	COMPREPLY=()
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W $'-p\n-Z\n-W\n-Werror\n-h\n-V\n--help\n--version' -- "$cur"))
		return
	fi
	# stream files, as migparse or migstate wrote them: any file
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _migsql migsql
