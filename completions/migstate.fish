# fish completion for migstate(1)

function __migstate_labels
    for d in */migrations/ */*/migrations/
        basename (dirname $d)
    end
end

# The operands on the command line so far: the words that are neither
# options nor their arguments.
function __migstate_operands
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
        else if string match -qr -- '^-[1bglqS]*[AdiMmsx]$' $w
            set skip 1
        else if not string match -q -- '-*' $w
            echo $w
        end
    end
end

# The migration names of the app given first, and zero unless -1 is.
function __migstate_names
    set -l app (__migstate_operands)[1]
    for f in $app/migrations/*.py */$app/migrations/*.py
        set -l n (basename $f .py)
        test $n = __init__; or echo $n
    end
    string match -qr -- '^-[bglqS]*1' (commandline -opc); or echo zero
end

complete -c migstate -f
complete -c migstate -s 1 -d 'Only the migration APP NAME, as migrate runs it'
complete -c migstate -s b -d 'With -1: backwards'
complete -c migstate -s A -r -F -d 'Read applied records from FILE'
complete -c migstate -s d -x -d 'The value of a project function used as a default'
complete -c migstate -s g -d 'Write the migration graph in Graphviz DOT'
complete -c migstate -s i -r -F -d 'Read the stream from FILE'
complete -c migstate -s l -d 'Print the plan as showmigrations --plan'
complete -c migstate -s M -x -d 'Fold CLASS as the built-in TARGET'
complete -c migstate -s m -r -F -d 'Read -d, -M, -s and -x values from MAPFILE'
complete -c migstate -s q -d 'No progress meter on a terminal'
complete -c migstate -s S -d 'Write the folded state'
complete -c migstate -s s -x -a 'AUTH_USER_MODEL= DEFAULT_AUTO_FIELD=' -d 'The value of a setting'
complete -c migstate -s x -x -a '(__migstate_labels)' -d 'An app whose migrations are elsewhere'
complete -c migstate -n 'test (count (__migstate_operands)) -eq 0' \
    -a '(__migstate_labels)' -d 'App label'
complete -c migstate -n 'test (count (__migstate_operands)) -eq 1' \
    -a '(__migstate_names)' -d 'Migration'
complete -c migstate -s h -l help -d 'Print the help'
complete -c migstate -s V -l version -d 'Print the version'
