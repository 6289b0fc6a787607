# Fixpoint for Kakoune with kakoune-lsp 17 or later: source this from your kakrc after `lsp-enable`.
# Fixes run through code actions (:lsp-code-actions on a diagnostic or a FIXME comment); the
# workspace edit lands in the buffers (:write-all to keep it, :edit! to drop it).
# For older kak-lsp releases (a kak-lsp.toml file) see kak-lsp.toml next to this file.
hook -group fixpoint global BufSetOption filetype=(python|rust|c|cpp|javascript|typescript|swift|go) %{
    set-option -add buffer lsp_servers %{
        [fixpoint]
        root_globs = [".git"]
        command = "fixpoint"
        args = ["serve"]
        settings_section = "fixpoint"
        [fixpoint.settings.fixpoint]
        maxSteps = 100
    }
}

# Run a fix with your own words: :fixpoint-fix is_even returns the wrong answer
define-command fixpoint-fix -params 1.. -docstring "fixpoint-fix <issue>: ask Fixpoint for a verified fix" %{
    lsp-execute-command fixpoint.fixIssue "[{""issue"": ""%sh{ printf '%s' ""$*"" | sed 's/\\/\\\\/g; s/""/\\""/g' }""}]"
}
define-command fixpoint-cancel -docstring "cancel the Fixpoint run" %{
    lsp-execute-command fixpoint.cancel "[{}]"
}
