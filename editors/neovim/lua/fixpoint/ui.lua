-- What the user sees: the live step log, the progress line, and the diff preview.
local M = {}

M.log_lines = {} -- every step line since startup, so :FixpointLog shows the history too
M.status = "" -- the statusline text: require("fixpoint").statusline()
local log_buf = nil
local preview = nil -- { buf, run_id, on_accept, on_reject }

local LOG_NAME = "fixpoint://log"

local function scratch(name, filetype)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, name)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].filetype = filetype
  return buf
end

local function set_lines(buf, first, last, lines)
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, first, last, false, lines)
  vim.bo[buf].modifiable = false
end

--- One `fixpoint/step` notification as a log line.
function M.step_line(step)
  if step.kind == "run_end" then
    return string.format("[%s] end %s: %s", step.runId or "?", step.outcome or "?", step.summary or "")
  end
  local line = string.format("[%s] %d/%d %s", step.runId or "?", step.step or 0, step.maxSteps or 0, step.kind or "?")
  if step.tool then
    line = line .. " " .. step.tool
  end
  if step.summary and step.summary ~= "" then
    line = line .. ": " .. step.summary:gsub("\n", " ")
  end
  local tokens = (step.promptTokens or 0) + (step.completionTokens or 0)
  if tokens > 0 then
    line = line .. string.format(" (%d tok", tokens)
    if step.cacheHitRate then
      line = line .. string.format(", cache %d%%", math.floor(step.cacheHitRate * 100 + 0.5))
    end
    line = line .. ")"
  end
  return line
end

function M.append_log(line)
  table.insert(M.log_lines, line)
  if log_buf and vim.api.nvim_buf_is_valid(log_buf) then
    local count = vim.api.nvim_buf_line_count(log_buf)
    local empty = count == 1 and vim.api.nvim_buf_get_lines(log_buf, 0, 1, false)[1] == ""
    set_lines(log_buf, empty and 0 or count, -1, { line })
    for _, win in ipairs(vim.fn.win_findbuf(log_buf)) do
      vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(log_buf), 0 })
    end
  end
end

--- :FixpointLog — a scratch buffer that keeps filling while runs go on. The cursor stays where it
--- was, so :FixpointFix can follow in the file's window.
function M.open_log()
  if not (log_buf and vim.api.nvim_buf_is_valid(log_buf)) then
    log_buf = scratch(LOG_NAME, "fixpointlog")
    set_lines(log_buf, 0, -1, #M.log_lines > 0 and M.log_lines or { "" })
  end
  if #vim.fn.win_findbuf(log_buf) == 0 then
    local from = vim.api.nvim_get_current_win()
    vim.cmd("botright 12split")
    vim.api.nvim_win_set_buf(0, log_buf)
    vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(log_buf), 0 })
    vim.api.nvim_set_current_win(from)
  end
  return log_buf
end

function M.log_buffer()
  return log_buf
end

function M.set_status(text, echo)
  M.status = text
  if echo and text ~= "" then
    vim.api.nvim_echo({ { text:sub(1, math.max(20, vim.o.columns - 12)), "ModeMsg" } }, false, {})
  end
  vim.cmd("redrawstatus")
end

function M.notify(text, level)
  vim.notify(text:find("^Fixpoint") and text or ("Fixpoint: " .. text), level or vim.log.levels.INFO)
end

--- Opens the unified diff of a finished run in a split, with `a` (accept) and `r`/`q` (reject).
function M.open_preview(diff, on_accept, on_reject)
  M.close_preview()
  local buf = scratch("fixpoint://" .. diff.runId .. ".diff", "diff")
  local header = {
    "# Fixpoint " .. diff.runId .. ": " .. diff.summary,
    "# a / :FixpointAccept writes it to disk · r, q / :FixpointReject discards it",
    "",
  }
  local lines = vim.split(diff.patch, "\n", { plain = true })
  if lines[#lines] == "" then
    table.remove(lines)
  end
  local all = vim.list_extend(header, lines)
  set_lines(buf, 0, -1, all)
  -- Big enough to read the change: the whole diff, up to 60% of the screen.
  vim.cmd(string.format("botright %dsplit", math.max(5, math.min(#all, math.floor(vim.o.lines * 0.6)))))
  vim.api.nvim_win_set_buf(0, buf)
  preview = { buf = buf, run_id = diff.runId }
  local opts = { buffer = buf, nowait = true, silent = true }
  vim.keymap.set("n", "a", on_accept, opts)
  vim.keymap.set("n", "r", on_reject, opts)
  vim.keymap.set("n", "q", on_reject, opts)
  return buf
end

function M.preview()
  return preview
end

function M.close_preview()
  if preview and vim.api.nvim_buf_is_valid(preview.buf) then
    for _, win in ipairs(vim.fn.win_findbuf(preview.buf)) do
      if #vim.api.nvim_list_wins() > 1 then
        vim.api.nvim_win_close(win, true)
      end
    end
    vim.api.nvim_buf_delete(preview.buf, { force = true })
  end
  preview = nil
end

return M
