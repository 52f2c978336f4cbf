namespace KojiComposer.Cli.Completion;

/// <summary>
/// The shell scripts <c>kojicomposer completion bash|zsh|fish</c> prints. Each is a thin shim: it hands the command
/// line and the cursor position to <c>kojicomposer "[suggest:N]" "LINE"</c> (System.CommandLine's suggest
/// directive, on by default for the root command) and offers what comes back, one candidate a line. The candidates
/// come from the installed kojicomposer's own parser, so they always match its commands and options, plus the
/// sources in <see cref="Suggestions"/>.
/// </summary>
internal static class CompletionScripts
{
    /// <summary>The shells there is a script for.</summary>
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    /// <summary>The script for <paramref name="shell"/>.</summary>
    /// <exception cref="ArgumentException">No script for that shell.</exception>
    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        _ => throw new ArgumentException($"no completion script for \"{shell}\": choose bash, zsh or fish"),
    };

    private const string Bash = """
        # bash completion for kojicomposer (printed by: kojicomposer completion bash)
        #
        # Install for everyone:  kojicomposer completion bash > /etc/bash_completion.d/kojicomposer
        # or for yourself:       echo 'source <(kojicomposer completion bash)' >> ~/.bashrc
        #
        # bash passes the whole line (COMP_LINE) and the cursor's offset in it (COMP_POINT); kojicomposer answers
        # through its [suggest:N] directive with one candidate a line, worked out by its own parser.
        _kojicomposer_complete()
        {
            local IFS=$'\n'
            COMPREPLY=()
            local candidates
            candidates=$(kojicomposer "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) || return 0
            # Keep only what fits the word being completed as bash splits it (it also splits at '=' and ':').
            COMPREPLY=($(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        # -o default: no candidate (a FILE argument, say) falls back to file names.
        complete -o default -F _kojicomposer_complete kojicomposer

        """;

    private const string Zsh = """
        #compdef kojicomposer
        # zsh completion for kojicomposer (printed by: kojicomposer completion zsh)
        #
        # Install:  kojicomposer completion zsh > "${fpath[1]}/_kojicomposer"   (then start a new shell)
        # or:       echo 'source <(kojicomposer completion zsh)' >> ~/.zshrc    (after compinit)
        #
        # In a completion widget BUFFER is the whole line and CURSOR the cursor's offset in it; kojicomposer answers
        # through its [suggest:N] directive with one candidate a line, worked out by its own parser.
        _kojicomposer() {
            local output
            output=$(kojicomposer "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)
            if [[ -z ${output} ]]; then
                # No candidate (a FILE argument, say): offer file names.
                _files
                return
            fi
            local -a candidates
            candidates=("${(@f)output}")
            compadd -- "${candidates[@]}"
        }
        # Autoloaded from fpath the file is the function's body; sourced, it registers the function.
        if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
            _kojicomposer "$@"
        else
            compdef _kojicomposer kojicomposer
        fi

        """;

    private const string Fish = """
        # fish completion for kojicomposer (printed by: kojicomposer completion fish)
        #
        # Install:  kojicomposer completion fish > ~/.config/fish/completions/kojicomposer.fish
        #
        # commandline -cp is the command line up to the cursor; kojicomposer answers through its [suggest:N]
        # directive with one candidate a line, worked out by its own parser.
        function __kojicomposer_complete
            set -l line (commandline -cp)
            kojicomposer "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        # Candidates from kojicomposer only; the options that take a file name complete files.
        complete -c kojicomposer -f -a '(__kojicomposer_complete)'
        complete -c kojicomposer -l cli-config -r -F
        complete -c kojicomposer -l config -r -F

        """;
}
