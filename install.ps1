# Installs the headroom executable on Windows, without administrator rights:
#
#   irm https://github.com/headroom-dev/headroom/releases/latest/download/install.ps1 | iex
#
# Settings (environment), the same as install.sh's:
#   HEADROOM_VERSION           a version to install, e.g. 0.1.0 (default: the latest release)
#   HEADROOM_INSTALL_DIR       where to put headroom.exe (default: %LOCALAPPDATA%\Programs\headroom)
#   HEADROOM_INSTALL_BASE_URL  a mirror of the releases: archives and SHA256SUMS are fetched
#                              from BASE/latest/ or BASE/vVERSION/
#
# Every archive is checked against the release's SHA256SUMS before anything is installed.
# Piped into iex, the script runs in the caller's session: it never calls exit (that would close
# the window) and keeps its variables inside one function.

function Install-Headroom {
  $ErrorActionPreference = 'Stop'
  # Invoke-WebRequest's progress bar slows Windows PowerShell 5.1's downloads many times over.
  $ProgressPreference = 'SilentlyContinue'
  $Repository = 'headroom-dev/headroom'

  function Say([string] $Message) { [Console]::Error.WriteLine("headroom-install: $Message") }
  function Fail([string] $Message) { throw "headroom-install: $Message" }

  # Which release archive fits this machine: there is one Windows build, for x64.
  function Get-Target {
    if ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows) {
      Fail 'install.ps1 is for Windows; on Linux and macOS run: curl -fsSL https://github.com/headroom-dev/headroom/releases/latest/download/install.sh | sh'
    }
    $arch = $env:PROCESSOR_ARCHITEW6432
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch ($arch) {
      'AMD64' { return 'windows-x64' }
      # Windows 11 on Arm runs x64 programs through its emulator.
      'ARM64' {
        Say 'there is no native Windows arm64 build; installing the x64 one, which Windows 11 runs emulated'
        return 'windows-x64'
      }
      default { Fail "there is no headroom release for Windows on $arch; releases exist for Windows x64" }
    }
  }

  function Get-ReleaseUrl {
    $version = "$env:HEADROOM_VERSION" -replace '^v', ''
    if ($env:HEADROOM_INSTALL_BASE_URL) {
      $base = $env:HEADROOM_INSTALL_BASE_URL.TrimEnd('/')
      if ($version) { return "$base/v$version" }
      return "$base/latest"
    }
    if ($version) { return "https://github.com/$Repository/releases/download/v$version" }
    return "https://github.com/$Repository/releases/latest/download"
  }

  function Get-Download([string] $Url, [string] $File) {
    try {
      Invoke-WebRequest -Uri $Url -OutFile $File -UseBasicParsing
    } catch {
      Fail "could not download ${Url}: $($_.Exception.Message)"
    }
  }

  # The digest SHA256SUMS gives for $Archive ("<hex>  <name>", or "<hex> *<name>" in binary mode).
  function Get-ExpectedSum([string] $SumsFile, [string] $Archive) {
    foreach ($line in Get-Content -LiteralPath $SumsFile) {
      $fields = -split $line
      if ($fields.Count -ge 2 -and ($fields[1] -eq $Archive -or $fields[1] -eq "*$Archive")) {
        return $fields[0].ToLowerInvariant()
      }
    }
    return $null
  }

  function Get-Version([string] $Exe) {
    try {
      $out = & $Exe --version 2>$null
      if ($LASTEXITCODE -eq 0) { return "$out".Trim() }
    } catch {
      Write-Verbose "$Exe did not run: $($_.Exception.Message)"
    }
    return $null
  }

  # Windows PowerShell 5.1 may not offer TLS 1.2 by default; GitHub requires it.
  if ($PSVersionTable.PSEdition -ne 'Core') {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  }

  $target = Get-Target
  $url = Get-ReleaseUrl
  $archive = "headroom-$target.tar.gz"
  $installDir = $env:HEADROOM_INSTALL_DIR
  if (-not $installDir) { $installDir = Join-Path $env:LOCALAPPDATA 'Programs\headroom' }

  $tmp = Join-Path ([IO.Path]::GetTempPath()) ("headroom-install-" + [Guid]::NewGuid().ToString('N'))
  New-Item -ItemType Directory -Path $tmp | Out-Null
  try {
    Say "downloading $archive from $url"
    Get-Download "$url/$archive" (Join-Path $tmp $archive)
    Get-Download "$url/SHA256SUMS" (Join-Path $tmp 'SHA256SUMS')

    $expected = Get-ExpectedSum (Join-Path $tmp 'SHA256SUMS') $archive
    if (-not $expected) { Fail "SHA256SUMS has no line for $archive; refusing to install" }
    $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $tmp $archive)).Hash.ToLowerInvariant()
    if ($actual -ne $expected) {
      Fail "checksum mismatch for $archive (expected $expected, got $actual): the download is corrupt or was tampered with; nothing was installed"
    }

    # Windows 10 (1803) and later ship a tar.exe that reads .tar.gz. Named by its full path: a
    # GNU tar earlier on PATH (Git's, MSYS2's) takes "C:\..." for a remote host.
    $tar = Join-Path $env:SystemRoot 'System32\tar.exe'
    if (-not (Test-Path -LiteralPath $tar)) { Fail "could not unpack ${archive}: this Windows has no $tar (Windows 10 1803 and later do)" }
    $unpacked = Join-Path $tmp 'unpacked'
    New-Item -ItemType Directory -Path $unpacked | Out-Null
    & $tar -xzf (Join-Path $tmp $archive) -C $unpacked
    if ($LASTEXITCODE -ne 0) { Fail "could not unpack $archive" }
    $newExe = Join-Path $unpacked 'headroom.exe'
    if (-not (Test-Path -LiteralPath $newExe -PathType Leaf)) { Fail "$archive holds no headroom.exe" }
    $newVersion = Get-Version $newExe
    if (-not $newVersion) { Fail "the downloaded headroom does not run on this machine ($target); please report it" }

    try {
      New-Item -ItemType Directory -Force -Path $installDir | Out-Null
    } catch {
      Fail "cannot create $installDir; choose another with HEADROOM_INSTALL_DIR"
    }
    $destination = Join-Path $installDir 'headroom.exe'
    # Leftovers of earlier upgrades whose old executable was still running then.
    Get-ChildItem -LiteralPath $installDir -Filter '.headroom.old.*.exe' -Force -ErrorAction SilentlyContinue |
      Remove-Item -Force -ErrorAction SilentlyContinue
    $oldVersion = $null
    if (Test-Path -LiteralPath $destination -PathType Leaf) { $oldVersion = Get-Version $destination }

    # Copy next to the destination, then rename into place. Windows cannot overwrite a running
    # executable but can rename it: a running proxy keeps its old file under a new name.
    $staged = Join-Path $installDir ".headroom.new.$PID.exe"
    try {
      Copy-Item -LiteralPath $newExe -Destination $staged -Force
    } catch {
      Fail "cannot write to $installDir; choose another with HEADROOM_INSTALL_DIR"
    }
    $retired = Join-Path $installDir ".headroom.old.$PID.exe"
    try {
      if (Test-Path -LiteralPath $destination) {
        Move-Item -LiteralPath $destination -Destination $retired -Force
      }
      Move-Item -LiteralPath $staged -Destination $destination
    } catch {
      # Put the old executable back rather than leave none.
      if ((Test-Path -LiteralPath $retired) -and -not (Test-Path -LiteralPath $destination)) {
        Move-Item -LiteralPath $retired -Destination $destination -ErrorAction SilentlyContinue
      }
      Remove-Item -LiteralPath $staged -Force -ErrorAction SilentlyContinue
      Fail "cannot replace ${destination}: $($_.Exception.Message)"
    }
    # Fails while the old version is still running; the next install removes it.
    Remove-Item -LiteralPath $retired -Force -ErrorAction SilentlyContinue

    if ($oldVersion -and $oldVersion -ne $newVersion) {
      Say "upgraded $oldVersion to $newVersion at $destination"
      Say 'a proxy that is already running keeps the old version until it is restarted'
    } else {
      Say "installed $newVersion at $destination"
    }
    $onPath = ("$env:Path" -split ';') | Where-Object { $_.TrimEnd('\') -ieq $installDir.TrimEnd('\') }
    if (-not $onPath) {
      Say "$installDir is not on your PATH; add it for your user (no administrator rights needed):"
      Say "  [Environment]::SetEnvironmentVariable('Path', '$installDir;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
      Say 'then open a new terminal'
    }
    Say 'next: headroom wrap claude (or codex), or headroom proxy; headroom doctor checks the setup'
  } finally {
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
  }
}

Install-Headroom
