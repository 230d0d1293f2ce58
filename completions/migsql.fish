# fish completion for migsql(1)

complete -c migsql -s p -d 'Plain SQL, as sqlmigrate prints it'
complete -c migsql -s Z -d 'Zero downtime: rewrite what blocks writes'
complete -c migsql -o W -d 'Warn of statements that lock a busy table'
complete -c migsql -o Werror -d 'Warn, and fail on a warning'
complete -c migsql -s h -l help -d 'Print the help'
complete -c migsql -s V -l version -d 'Print the version'
