# fish completion for migapply(1)

function __migapply_services
    set -l f $HOME/.pg_service.conf
    set -q PGSERVICEFILE; and set f $PGSERVICEFILE
    test -r $f; or return
    string match -r -g '^\[([^]]+)\]' <$f | string replace -r '^' 'service='
end

set -l durations '500ms 1s 2s 5s 30s 1min'
complete -c migapply -f
complete -c migapply -s C -d 'List the applied migrations and the catalog'
complete -c migapply -s c -d 'List applied migrations whose SQL changed'
complete -c migapply -s f -d 'Record without running (fake)'
complete -c migapply -s L -x -a $durations -d 'lock_timeout of every statement'
complete -c migapply -s l -d 'List the applied migrations'
complete -c migapply -s n -d 'Dry run: print what would run'
complete -c migapply -s P -d 'Apply with RunPython skipped'
complete -c migapply -s q -d 'Quiet: errors only'
complete -c migapply -s r -x -a '0 3 5 10' -d 'Retries after a lock timeout'
complete -c migapply -s S -x -a $durations -d 'statement_timeout of every statement'
complete -c migapply -s T -x -a $durations -d 'statement_timeout of CONCURRENTLY and VALIDATE'
complete -c migapply -s v -d 'A line per migration'
complete -c migapply -s w -d 'Wait for another migapply'
complete -c migapply -a '(__migapply_services) postgresql://' -d 'Connection'
complete -c migapply -s h -l help -d 'Print the help'
complete -c migapply -s V -l version -d 'Print the version'
