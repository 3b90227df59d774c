internal import CCurl

/// curl's socket callback (`CURLMOPT_SOCKETFUNCTION`); `userp` is the loop (`CURLMOPT_SOCKETDATA`).
func curlSocketCallback(
    _ easy: UnsafeMutableRawPointer?, _ descriptor: curl_socket_t, _ what: Int32, _ userp: UnsafeMutableRawPointer?,
    _ socketp: UnsafeMutableRawPointer?
) -> Int32 {
    guard let userp else { return -1 }
    Unmanaged<CurlMultiLoop>.fromOpaque(userp).takeUnretainedValue().watch(descriptor, what: what)
    return 0
}

/// curl's timer callback (`CURLMOPT_TIMERFUNCTION`); `userp` is the loop (`CURLMOPT_TIMERDATA`).
func curlTimerCallback(
    _ multi: UnsafeMutableRawPointer?, _ milliseconds: Int, _ userp: UnsafeMutableRawPointer?
) -> Int32 {
    guard let userp else { return -1 }
    Unmanaged<CurlMultiLoop>.fromOpaque(userp).takeUnretainedValue().setTimer(milliseconds: milliseconds)
    return 0
}
