# fish completion for migparse(1)

function __migparse_labels
    for d in */migrations/ */*/migrations/
        basename (dirname $d)
    end
end

complete -c migparse -s a -x -a '(__migparse_labels)' -d 'App label of every file'
complete -c migparse -s n -x -d 'Migration name of every file'
complete -c migparse -s D -x -d 'Value of a name or call the files import'
complete -c migparse -s F -x -a '(__fish_complete_directories)' -d 'Directory of migrations given by hand'
complete -c migparse -s m -r -F -d 'Map file whose define lines give values'
complete -c migparse -f -k -a '(__fish_complete_suffix .py)'
complete -c migparse -s h -l help -d 'Print the help'
complete -c migparse -s V -l version -d 'Print the version'
