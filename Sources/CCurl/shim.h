#ifndef WOODSTOCK_CCURL_SHIM_H
#define WOODSTOCK_CCURL_SHIM_H
#include <curl/curl.h>
/* epoll and eventfd: the HTTP module drives curl_multi_socket_action from an epoll loop (Linux). */
#include <sys/epoll.h>
#include <sys/eventfd.h>

/* Typed wrappers for curl's variadic setters, which Swift cannot call directly. */
static inline CURLcode wc_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wc_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wc_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode wc_easy_setopt_write(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(h, o, f); }
static inline CURLcode wc_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode wc_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode wc_multi_setopt_long(CURLM *h, CURLMoption o, long v) { return curl_multi_setopt(h, o, v); }
/* curl_global_init with CURL_GLOBAL_DEFAULT, whose macro Swift cannot import. */
static inline CURLcode wc_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
/* The result code of a finished transfer (CURLMsg.data is a union). */
static inline CURLcode wc_msg_result(const CURLMsg *m) { return m->data.result; }
/* Event-driven multi interface: typed setters for the socket and timer callbacks and their user data, and
   curl_multi_socket_action on the timeout (CURL_SOCKET_TIMEOUT is a macro of a macro). */
static inline CURLMcode wc_multi_setopt_ptr(CURLM *h, CURLMoption o, void *v) { return curl_multi_setopt(h, o, v); }
static inline CURLMcode wc_multi_setopt_socketfunction(CURLM *h, curl_socket_callback f) { return curl_multi_setopt(h, CURLMOPT_SOCKETFUNCTION, f); }
static inline CURLMcode wc_multi_setopt_timerfunction(CURLM *h, curl_multi_timer_callback f) { return curl_multi_setopt(h, CURLMOPT_TIMERFUNCTION, f); }
static inline CURLMcode wc_multi_socket_timeout(CURLM *h, int *running) { return curl_multi_socket_action(h, CURL_SOCKET_TIMEOUT, 0, running); }
#endif
