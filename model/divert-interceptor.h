/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_INTERCEPTOR_H
#define DIVERT_INTERCEPTOR_H

#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * \ingroup divert
 * \brief A ready application that owns a divert socket and gives each packet a verdict.
 *
 * Binds a divert socket to the port of the attribute "Port" when it starts.
 * Every datagram diverted to that port is given to the verdict callback,
 * which says: pass it unchanged, drop it, or pass these other bytes. Passed
 * datagrams are sent back with the address they came with, so they re-enter
 * the stack where they were diverted. Without a callback every datagram is
 * passed unchanged (the Divert Sockets mini-HOWTO's example program).
 *
 * The application is modelled as one FIFO server: a datagram leaves when
 * the one before it has left and its own processing delay (a sample of the
 * attribute "ProcessingDelay", zero by default) has passed.
 */
class DivertInterceptor : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertInterceptor();
    ~DivertInterceptor() override;

    /** What to do with a datagram. */
    enum Action
    {
        PASS,   //!< send it back unchanged
        DROP,   //!< never send it back
        MODIFY, //!< send back the datagram given in the verdict instead
    };

    /** The verdict callback's answer. */
    struct Verdict
    {
        Action action{PASS};  //!< what to do
        Ptr<Packet> datagram; //!< with MODIFY: the whole IPv4 datagram to send
    };

    /**
     * Verdict callback: the whole diverted datagram (IPv4 header first) and
     * the address it came with; returns the verdict.
     */
    typedef Callback<Verdict, Ptr<const Packet>, const Address&> VerdictCallback;

    /**
     * \brief Set the verdict callback.
     * \param cb the callback
     */
    void SetVerdictCallback(VerdictCallback cb);

    /**
     * \brief Assign a fixed random variable stream to the processing delay.
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /** Counters of the interceptor. */
    struct Counters
    {
        uint64_t received{0};   //!< datagrams read from the socket
        uint64_t passed{0};     //!< sent back unchanged
        uint64_t modified{0};   //!< sent back with other bytes
        uint64_t dropped{0};    //!< never sent back
        uint64_t sendErrors{0}; //!< sends the stack refused
    };

    /**
     * \brief The counters.
     * \return the counters
     */
    Counters GetCounters() const;

    /**
     * \brief The socket's error if the application could not start (e.g. port in use).
     * \return ERROR_NOTERROR when running normally
     */
    Socket::SocketErrno GetSocketError() const;

    /**
     * \brief The divert socket (nullptr before the start).
     * \return the socket
     */
    Ptr<Socket> GetSocket() const;

    /**
     * TracedCallback signature for verdicts.
     * \param [in] datagram the diverted datagram
     * \param [in] action the verdict
     */
    typedef void (*VerdictTracedCallback)(Ptr<const Packet> datagram, Action action);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * Read every queued datagram.
     * \param socket the socket
     */
    void HandleRead(Ptr<Socket> socket);

    /**
     * Send a datagram back.
     * \param datagram the datagram
     * \param to the address it came with
     */
    void SendBack(Ptr<Packet> datagram, Address to);

    /**
     * Have the node's divert stack count and trace a datagram this
     * application drops.
     * \param datagram the datagram
     * \param reason a DivertIpv4L3Protocol::DivertDropReason
     */
    void ReportDrop(Ptr<const Packet> datagram, int reason);

    uint16_t m_port;                                          //!< divert port
    Ptr<RandomVariableStream> m_delay;                        //!< processing delay
    VerdictCallback m_verdict;                                //!< verdict callback
    Ptr<Socket> m_socket;                                     //!< the divert socket
    Time m_busyUntil;                                         //!< when the FIFO server is free
    Counters m_counters;                                      //!< counters
    Socket::SocketErrno m_error;                              //!< start-up error
    std::vector<EventId> m_pending;                           //!< scheduled sends
    TracedCallback<Ptr<const Packet>, Action> m_verdictTrace; //!< verdicts
};

} // namespace ns3

#endif /* DIVERT_INTERCEPTOR_H */
